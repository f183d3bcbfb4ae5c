/**
 * The --labels CSV, as mclust reports a classification: each row's name (or number
 * from 1), its label (from 1), the probability of each component or state, and the
 * uncertainty 1 - the largest probability.
 */

/** A number at 15 significant digits, without trailing zeros. */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(15))) : 'NA'
}

function quoted(s: string): string {
  return /[",\n\r]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s
}

export function labelsCsv(labels: readonly number[], probabilities: readonly (readonly number[])[], rowNames: readonly string[] | null): string {
  const k = probabilities[0]?.length ?? 0
  const head = ['row', 'label', ...Array.from({ length: k }, (_, c) => `prob_${c + 1}`), 'uncertainty'].join(',')
  const out: string[] = [head]
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i]!
    let top = 0
    for (let c = 0; c < k; c++) if (p[c]! > top) top = p[c]!
    const cells = [rowNames ? quoted(rowNames[i]!) : String(i + 1), String(labels[i]! + 1)]
    for (let c = 0; c < k; c++) cells.push(num(p[c]!))
    cells.push(num(1 - top))
    out.push(cells.join(','))
  }
  return out.join('\n') + '\n'
}

/** Plain-text tables and numbers for the terminal. */

export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-'
  const a = Math.abs(v)
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(digits - 1)
  return Number(v.toPrecision(digits + (a >= 100 ? 2 : 0))).toString()
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)))
  const line = (r: readonly string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** A square matrix with its row and column names, e.g. a covariance. */
export function labeledMatrix(rows: readonly (readonly number[])[], names: readonly string[], indent: string): string {
  const cells = rows.map((r) => r.map((v) => fmt(v, 5)))
  const nameW = Math.max(...names.map((s) => s.length))
  const colW = names.map((s, j) => Math.max(s.length, ...cells.map((r) => r[j]!.length)))
  const head = indent + ' '.repeat(nameW) + names.map((s, j) => '  ' + s.padStart(colW[j]!)).join('')
  const body = cells.map((r, i) => indent + names[i]!.padEnd(nameW) + r.map((c, j) => '  ' + c.padStart(colW[j]!)).join(''))
  return [head, ...body].join('\n')
}

/** "converged after 12 iterations": how a fit ended. */
export function afterIterations(status: string, nIter: number): string {
  return `${status} after ${nIter} iteration${nIter === 1 ? '' : 's'}`
}

/** The first lines of a model's summary: which model (`title`), its scores and parameter count, how its fit ended, a blank line. */
export function summaryHead(title: string, stats: { logLik: number; bic: number; aic: number }, nParameters: number, status: string, nIter: number): string[] {
  return [
    title,
    `  log-likelihood ${fmt(stats.logLik, 8)}   BIC ${fmt(stats.bic, 8)}   AIC ${fmt(stats.aic, 8)}   parameters ${nParameters}`,
    `  ${afterIterations(status, nIter)}`,
    '',
  ]
}

/**
 * Rows grouped by missingness pattern (which entries are NaN): the unit of work of
 * every normal model with values missing at random, since one factorisation of
 * Sigma_oo serves all the rows of a pattern (common/conditional-normal.ts).
 */

export interface MissingPattern {
  /** Observed and missing columns, ascending. */
  readonly observed: Int32Array
  readonly missing: Int32Array
  /** The pattern's rows, in data order. */
  readonly rows: Int32Array
}

/**
 * The patterns of x (n x d, row-major, NaN = missing) in order of first appearance,
 * and each row's pattern index (`patternOf`).
 */
export function missingPatterns(x: Float64Array, n: number, d: number): { readonly patterns: MissingPattern[]; readonly patternOf: Int32Array } {
  const index = new Map<string, number>()
  const rows: number[][] = [], keys: string[] = []
  const patternOf = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let key = ''
    for (let j = 0; j < d; j++) key += Number.isNaN(x[i * d + j]!) ? '0' : '1'
    let p = index.get(key)
    if (p === undefined) {
      index.set(key, (p = rows.length))
      rows.push([])
      keys.push(key)
    }
    rows[p]!.push(i)
    patternOf[i] = p
  }
  const patterns = keys.map((key, p): MissingPattern => {
    const observed: number[] = [], missing: number[] = []
    for (let j = 0; j < d; j++) (key[j] === '1' ? observed : missing).push(j)
    return { observed: Int32Array.from(observed), missing: Int32Array.from(missing), rows: Int32Array.from(rows[p]!) }
  })
  return { patterns, patternOf }
}

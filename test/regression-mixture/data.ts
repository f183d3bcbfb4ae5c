/** flexmix's NPreg (test/fixtures/data/flexmix_NPreg.csv): x, the Gaussian response yn, the Poisson counts yp, the binary yb. */
import { readFileSync } from 'node:fs'

export function npreg(): { x: number[][]; yn: number[]; yp: number[]; yb: number[] } {
  const lines = readFileSync(new URL('../fixtures/data/flexmix_NPreg.csv', import.meta.url), 'utf8').trim().split('\n').slice(1)
  const rows = lines.map((l) => l.split(',').map(Number))
  return { x: rows.map((r) => [r[0]!]), yn: rows.map((r) => r[1]!), yp: rows.map((r) => r[2]!), yb: rows.map((r) => r[3]!) }
}


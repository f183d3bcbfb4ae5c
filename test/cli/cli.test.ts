import { describe, expect, it } from 'vitest'
import { run, type CliIO } from '../../src/cli/run.js'

function fakeIO(files: Record<string, string> = {}) {
  const out: string[] = [], err: string[] = [], written: Record<string, string> = {}
  const io: CliIO = {
    stdout: (t) => { out.push(t) },
    stderr: (t) => { err.push(t) },
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file '${p}'`)
      return files[p]!
    },
    writeFile: (p, t) => { written[p] = t },
  }
  return { io, out: () => out.join(''), err: () => err.join(''), written }
}

describe('emkit fit', () => {
  it('no file: selects K and covariance by BIC on Old Faithful and prints the table and the model', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--n-init', '2'], f.io)).toBe(0)
    const text = f.out()
    expect(text).toContain('Old Faithful')
    for (let k = 1; k <= 6; k++) expect(text).toContain(`K = ${k} `)
    for (const t of ['full', 'diag', 'spherical', 'tied']) expect(text).toContain(t)
    expect(text.split('\n').filter((l) => /^K = \d.*\*/.test(l))).toHaveLength(1)
    expect(text).toMatch(/Chosen model: K = 3, covariance 'tied'/) // mclust's choice too (EEE, G = 3)
  })

  it('--k and --covariance fit one model; --json and --svg write files', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'full', '--json', 'o.json', '--svg', 'o.svg'], f.io)).toBe(0)
    expect(f.out()).not.toContain('BIC (')
    const json = JSON.parse(f.written['o.json']!)
    expect(json.model.nComponents).toBe(2)
    expect(json.model.logLik).toBeCloseTo(-1130.2639601932628, 6)
    expect(f.written['o.svg']).toMatch(/^<svg/)
    expect(f.out()).toContain('Plot written to o.svg')
  })

  it('--k alone searches the covariance types only', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--n-init', '1'], f.io)).toBe(0)
    expect(f.out()).toContain('K = 2 ')
    expect(f.out()).not.toContain('K = 3 ')
  })

  it('reads a CSV with a header', async () => {
    const csv = 'a,b\n' + Array.from({ length: 40 }, (_, i) => `${(i % 2) * 10 + (i % 7) / 7},${(i % 2) * 10 + (i % 5) / 5}`).join('\n')
    const f = fakeIO({ 'x.csv': csv })
    expect(await run(['fit', 'x.csv', '--k', '2', '--covariance', 'diag'], f.io)).toBe(0)
    expect(f.out()).toContain('x.csv (40 rows x 2 columns)')
  })

  it('a non-numeric column is a clear error naming it (exit 1)', async () => {
    const f = fakeIO({ 'bad.csv': 'x,species\n1,setosa\n2,virginica\n3,setosa\n' })
    expect(await run(['fit', 'bad.csv', '--k', '1', '--covariance', 'full'], f.io)).toBe(1)
    expect(f.err()).toContain('species')
    expect(f.err()).toContain('[PARSE_ERROR]')
  })

  it('usage errors exit 2: unknown flag, bad value, unknown command, missing value', async () => {
    for (const argv of [['fit', '--kk', '2'], ['fit', '--k', 'two'], ['fit', '--covariance', 'banded'], ['frobnicate'], ['fit', '--svg']]) {
      const f = fakeIO()
      expect(await run(argv, f.io), argv.join(' ')).toBe(2)
      expect(f.err()).toMatch(/^emkit: /)
    }
  })

  it('a missing file is an error, not a crash', async () => {
    const f = fakeIO()
    expect(await run(['fit', 'nope.csv'], f.io)).toBe(1)
    expect(f.err()).toContain('nope.csv')
  })

  it('--help documents every option', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--help'], f.io)).toBe(0)
    for (const flag of ['--k', '--covariance', '--svg', '--json', '--seed', '--n-init', '--max-iter', '--tol', '--backend']) expect(f.out()).toContain(flag)
  })
})

import { describe, expect, it } from 'vitest'
import { parseFitArgs, UsageError } from '../../src/cli/args.js'
import { labeledMatrix, table } from '../../src/cli/format.js'
import { run, type CliIO } from '../../src/cli/run.js'
import { faithful } from '../../src/data/faithful.js'

function fakeIO(files: Record<string, string> = {}, opts: { failWrites?: boolean } = {}) {
  const out: string[] = [], err: string[] = [], written: Record<string, string> = {}
  const io: CliIO = {
    stdout: (t) => { out.push(t) },
    stderr: (t) => { err.push(t) },
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file '${p}'`)
      return files[p]!
    },
    writeFile: (p, t) => {
      if (opts.failWrites) throw new Error(`EACCES: permission denied, open '${p}'`)
      written[p] = t
    },
  }
  return { io, out: () => out.join(''), err: () => err.join(''), written }
}

const twoBlobs = 'a,b\n' + Array.from({ length: 40 }, (_, i) => `${(i % 2) * 10 + (i % 7) / 7},${(i % 2) * 10 + (i % 5) / 5}`).join('\n')

describe('emkit fit', () => {
  it('no file: selects K and covariance by BIC on Old Faithful and prints the table and the model', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--n-init', '2'], f.io)).toBe(0)
    const text = f.out()
    expect(f.err()).toBe('')
    expect(text).toContain('Old Faithful')
    expect(text).toContain('272 rows x 2 columns: eruptions, waiting')
    // The table: a header with the four types, then one row per K = 1..6, one cell marked.
    const lines = text.split('\n')
    const head = lines.findIndex((l) => /^\s+full\s+diag\s+spherical\s+tied\s*$/.test(l))
    expect(head).toBeGreaterThan(0)
    const rows = lines.slice(head + 2, head + 8)
    expect(rows.map((l) => l.slice(0, 5))).toEqual(['K = 1', 'K = 2', 'K = 3', 'K = 4', 'K = 5', 'K = 6'])
    for (const r of rows) expect(r.trim().split(/\s+/).slice(3)).toHaveLength(4)
    expect(rows.filter((l) => l.includes('*'))).toHaveLength(1)
    // The starred cell is the row-wise and column-wise minimum.
    const cells = rows.map((l) => l.trim().split(/\s+/).slice(3).map((c) => parseFloat(c)))
    const starred = rows.find((l) => l.includes('*'))!.trim().split(/\s+/).slice(3).find((c) => c.endsWith('*'))!
    expect(parseFloat(starred)).toBe(Math.min(...cells.flat()))
    expect(text).toMatch(/Chosen model: K = 3, covariance 'tied'/) // mclust's choice too (EEE, G = 3)
    for (const s of ['log-likelihood', 'BIC', 'AIC', 'parameters 11', 'converged after', 'weight', 'mean eruptions', 'mean waiting', 'covariance (tied']) {
      expect(text).toContain(s)
    }
  })

  it('--k and --covariance fit one model; --json and --svg write files', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'full', '--json', 'o.json', '--svg', 'o.svg'], f.io)).toBe(0)
    expect(f.out()).not.toContain('BIC (')
    expect(f.out()).toMatch(/^Model: K = 2, covariance 'full'/m)
    expect(f.out()).toMatch(/covariances\n\s+component 1\n/)
    const json = JSON.parse(f.written['o.json']!)
    expect(json.model.nComponents).toBe(2)
    expect(json.model.covarianceType).toBe('full')
    expect(json.model.logLik).toBeCloseTo(-1130.2639601932628, 6)
    expect(json.model.bic).toBeCloseTo(-2 * json.model.logLik + 11 * Math.log(272), 6)
    expect(json.model.weights).toHaveLength(2)
    expect(json.model.covariances).toHaveLength(2)
    expect(json.model.history.at(-1)).toBeCloseTo(json.model.logLik, 6)
    expect(json.selection).toBeNull()
    expect(json.columns).toEqual(['eruptions', 'waiting'])
    expect(f.written['o.svg']).toMatch(/^<svg/)
    expect((f.written['o.svg']!.match(/<ellipse/g) ?? []).length).toBe(4)
    expect(f.out()).toContain('Plot written to o.svg')
    expect(f.out()).toContain('Parameters written to o.json')
  })

  it('--json after a selection holds the table and the best cell', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--covariance', 'diag', '--n-init', '1', '--json=sel.json'], f.io)).toBe(0)
    const json = JSON.parse(f.written['sel.json']!)
    expect(json.selection.table).toHaveLength(6)
    expect(json.selection.best.covarianceType).toBe('diag')
    const bics = json.selection.table.map((r: { bic: number }) => r.bic)
    const best = json.selection.table.find((r: { k: number }) => r.k === json.selection.best.k)
    expect(best.bic).toBe(Math.min(...bics))
    expect(json.options).toMatchObject({ seed: 0, nInit: 1 })
  })

  it('--k alone searches the covariance types only', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--n-init', '1'], f.io)).toBe(0)
    expect(f.out()).toContain('K = 2 ')
    expect(f.out()).not.toContain('K = 3 ')
    expect(f.out()).toMatch(/full\s+diag\s+spherical\s+tied/)
  })

  it('--columns picks columns of the embedded data too (one column works)', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--columns', 'waiting', '--k', '2', '--covariance', 'full', '--svg', 'w.svg'], f.io)).toBe(0)
    expect(f.out()).toContain('272 rows x 1 column: waiting')
    expect(f.written['w.svg']).toContain('mixture-density')
    const g = fakeIO()
    expect(await run(['fit', '--columns', 'nope'], g.io)).toBe(2)
  })

  it('reads a CSV with a header', async () => {
    const f = fakeIO({ 'x.csv': twoBlobs })
    expect(await run(['fit', 'x.csv', '--k', '2', '--covariance', 'diag'], f.io)).toBe(0)
    expect(f.out()).toContain('x.csv (40 rows x 2 columns: a, b)')
    expect(f.out()).toContain('mean a')
  })

  it('reads a semicolon CSV without a header, and standard input as -', async () => {
    const f = fakeIO({ '-': faithful.rows.map((r) => r.join(';')).join('\n') })
    expect(await run(['fit', '-', '--k', '2', '--covariance', 'full'], f.io)).toBe(0)
    expect(f.out()).toContain('standard input (272 rows x 2 columns)')
    expect(f.out()).toContain('mean x1')
  })

  it('a non-numeric column is a clear error naming it (exit 1), with the --columns that would work', async () => {
    const f = fakeIO({ 'bad.csv': 'x,y,species\n1,2,setosa\n2,3,virginica\n3,1,setosa\n' })
    expect(await run(['fit', 'bad.csv', '--k', '1', '--covariance', 'full'], f.io)).toBe(1)
    expect(f.err()).toMatch(/^emkit: column 3 \("species"\) is not numeric \("setosa" at line 2\)\. .*remove or encode that column.* \[PARSE_ERROR\]\n/)
    expect(f.err()).toContain('add --columns x,y')
    expect(f.out()).toBe('')
    const g = fakeIO({ 'bad.csv': 'x,y,species\n1,2,setosa\n2,3,virginica\n3,1,setosa\n' })
    expect(await run(['fit', 'bad.csv', '--k', '1', '--covariance', 'full', '--columns', 'x,y'], g.io)).toBe(0)
  })

  it('ragged lines and data errors from the fit exit 1 with the code', async () => {
    const f = fakeIO({ 'r.csv': 'a,b\n1,2\n3\n' })
    expect(await run(['fit', 'r.csv'], f.io)).toBe(1)
    expect(f.err()).toMatch(/line 3 has 1 field but line 1 has 2.*\[PARSE_ERROR\]/)
    const g = fakeIO({ 's.csv': 'a,b\n1,2\n3,4\n' })
    expect(await run(['fit', 's.csv', '--k', '3', '--covariance', 'full'], g.io)).toBe(1)
    expect(g.err()).toContain('[TOO_MANY_COMPONENTS]')
  })

  it('usage errors exit 2: unknown flag, bad value, unknown command, missing value, repeated flag, two files', async () => {
    for (const argv of [
      ['fit', '--kk', '2'], ['fit', '--k', 'two'], ['fit', '--k', '0'], ['fit', '--k', ''], ['fit', '--covariance', 'banded'],
      ['fit', '--backend', 'gpu'], ['fit', '--tol', '-1'], ['fit', '--seed', '1.5'], ['frobnicate'], ['fit', '--svg'],
      ['fit', '--k', '2', '--k', '3'], ['fit', 'a.csv', 'b.csv'], ['fit', '-x'], ['fit', '--columns', 'a,,b'], ['fit', '--columns', '0'],
    ]) {
      const f = fakeIO()
      expect(await run(argv, f.io), argv.join(' ')).toBe(2)
      expect(f.err()).toMatch(/^emkit: /)
      expect(f.out()).toBe('')
    }
    const f = fakeIO()
    await run(['fit', '--kk', '2'], f.io)
    expect(f.err()).toContain('did you mean --k?')
    // a misspelt value or command gets its suggestion too; a value far from every choice, none
    for (const [argv, hint] of [
      [['fit', '--covariance', 'fulll'], "got 'fulll' (did you mean full?)"], [['fit', '--criterion', 'BIC'], "got 'BIC' (did you mean bic?)"],
      [['fit', '--backend', 'wasm-scaler'], "got 'wasm-scaler' (did you mean wasm-scalar?)"], [['hmm', '--covariance', 'Diag'], "got 'Diag' (did you mean diag?)"],
      [['fti'], "unknown command 'fti' (did you mean fit?"], [['fit', '--covariance', 'banded'], "got 'banded'\n"],
    ] as const) {
      const g = fakeIO()
      expect(await run([...argv], g.io), argv.join(' ')).toBe(2)
      expect(g.err()).toContain(hint)
    }
  })

  it('no arguments: usage on stderr, exit 2', async () => {
    const f = fakeIO()
    expect(await run([], f.io)).toBe(2)
    expect(f.err()).toContain('missing command')
    expect(f.err()).toContain('Usage:')
  })

  it('missing input and unwritable output files are errors (exit 1), not crashes', async () => {
    const f = fakeIO()
    expect(await run(['fit', 'nope.csv'], f.io)).toBe(1)
    expect(f.err()).toMatch(/^emkit: cannot read nope\.csv: ENOENT/)
    const g = fakeIO({}, { failWrites: true })
    expect(await run(['fit', '--k', '1', '--covariance', 'full', '--svg', '/ro/x.svg'], g.io)).toBe(1)
    expect(g.err()).toMatch(/^emkit: cannot write \/ro\/x\.svg: EACCES/)
  })

  it('--help documents every option', async () => {
    for (const argv of [['fit', '--help'], ['--help'], ['-h'], ['help'], ['fit', '--k', '2', '-h']]) {
      const f = fakeIO()
      expect(await run(argv, f.io), argv.join(' ')).toBe(0)
      for (const flag of ['--k', '--covariance', '--columns', '--svg', '--json', '--seed', '--n-init', '--max-iter', '--tol', '--reg-covar', '--backend', 'Exit status']) {
        expect(f.out()).toContain(flag)
      }
    }
  })
})

describe('cli helpers', () => {
  it('parseFitArgs: defaults, = syntax, 1-based --columns, --', () => {
    const a = parseFitArgs([])
    expect(a).toMatchObject({ file: null, k: null, covariance: null, columns: null, seed: 0, nInit: 5, maxIter: 200, tol: 1e-6, regCovar: null, backend: 'wasm', help: false })
    const b = parseFitArgs(['--k=4', '--covariance=tied', '--columns', '2,waiting', '--reg-covar', '1e-4', '--backend', 'js', '--', '--weird.csv'])
    expect(b).toMatchObject({ k: [4], covariance: 'tied', columns: [1, 'waiting'], regCovar: 1e-4, backend: 'js', file: '--weird.csv' })
    expect(() => parseFitArgs(['--max-iter', '0'])).toThrow(UsageError)
  })
  it('table and labeledMatrix align columns', () => {
    expect(table(['', 'x'], [['a', '1'], ['bb', '22']])).toBe('     x\n--  --\na    1\nbb  22')
    expect(labeledMatrix([[1, 0.5], [0.5, 2]], ['u', 'vv'], '')).toBe('      u   vv\nu     1  0.5\nvv  0.5    2')
  })
})

describe("emkit fit --models (mclust's covariance models)", () => {
  it("searches the models named, with mclust's names, and --criterion icl picks by ICL", async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '1-3', '--models', 'EII,vev,EEE', '--criterion', 'icl', '--n-init', '1'], f.io)).toBe(0)
    const text = f.out()
    expect(text).toMatch(/^\s+EII\s+VEV\s+EEE\s*$/m)
    expect(text).toContain('ICL (')
    // the chosen model is the starred (smallest) ICL of the table
    const rows = text.split('\n').filter((l) => /^K = \d/.test(l))
    const starred = rows.find((l) => l.includes('*'))!
    const column = starred.trim().split(/\s+/).slice(3).findIndex((c) => c.endsWith('*'))
    expect(text).toContain(`Chosen model: K = ${starred.slice(4, 5)}, covariance '${['EII', 'VEV', 'EEE'][column]}'`)
    const best = Math.min(...rows.flatMap((l) => l.trim().split(/\s+/).slice(3).map((c) => parseFloat(c))))
    expect(parseFloat(starred.trim().split(/\s+/).slice(3)[column]!)).toBe(best)
  })

  it("'all' is mclust's 14; a single model and K fit one model, described in words", async () => {
    expect(parseFitArgs(['--models', 'all']).models).toHaveLength(14)
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--models', 'VEI'], f.io)).toBe(0)
    expect(f.out()).toMatch(/^Model: K = 2, covariance 'VEI'/m)
    expect(f.out()).toContain('covariances (VEI: diagonal; one shape, volumes vary)')
  })

  it('a misspelt model is a usage error with a suggestion; --models with --covariance or hmm is refused', () => {
    expect(() => parseFitArgs(['--models', 'EEE,VVW'])).toThrow(UsageError)
    expect(() => parseFitArgs(['--models', 'EEE,VVW'])).toThrow("--models: 'VVW' is not a covariance model")
    expect(() => parseFitArgs(['--models', 'EEE,VVW'])).toThrow(/did you mean 'VV[VIE]'\?/)
    expect(() => parseFitArgs(['--models', 'EEE', '--covariance', 'full'])).toThrow('give one')
    expect(() => parseFitArgs(['--models', 'EEE'], 'hmm')).toThrow('hmm takes --covariance')
  })
})

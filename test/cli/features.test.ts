/**
 * The command's features beyond one fit: labels, saved models and --predict, the
 * progress line, K ranges, missing cells, R's row names, warnings, --version, the
 * hmm command and its plot, the scatter matrix and BIC plots, and parseArgs' errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { kList, parseFitArgs, UsageError } from '../../src/cli/args.js'
import { run, type CliIO } from '../../src/cli/run.js'
import { faithful } from '../../src/data/faithful.js'
import { GaussianHMM, GaussianMixture, loadModel } from '../../src/index.js'
import { HmmModel } from '../../src/models/hmm/model.js'

function fakeIO(files: Record<string, string | string[]> = {}, extra: Partial<CliIO> = {}) {
  const out: string[] = [], err: string[] = [], written: Record<string, string> = {}
  const io: CliIO = {
    stdout: (t) => { out.push(t) },
    stderr: (t) => { err.push(t) },
    readFile: (p) => {
      if (p in written) return written[p]!
      if (!(p in files)) throw new Error(`ENOENT: no such file '${p}'`)
      return files[p]!
    },
    writeFile: (p, t) => { written[p] = t },
    ...extra,
  }
  return { io, out: () => out.join(''), err: () => err.join(''), written }
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/data/${name}`, import.meta.url), 'utf8')
const faithfulCsv = fixture('faithful.csv')

function parseLabels(text: string): { header: string[]; rows: string[][] } {
  const [head, ...rows] = text.trim().split('\n')
  return { header: head!.split(','), rows: rows.map((r) => r.split(',')) }
}

describe('emkit fit --labels, --save, --predict', () => {
  it('--labels writes row, label (from 1), one probability per component and mclust\'s uncertainty', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'full', '--labels', 'l.csv'], f.io)).toBe(0)
    expect(f.out()).toContain('Labels written to l.csv')
    const { header, rows } = parseLabels(f.written['l.csv']!)
    expect(header).toEqual(['row', 'label', 'prob_1', 'prob_2', 'uncertainty'])
    expect(rows).toHaveLength(272)
    const gm = await new GaussianMixture({ nComponents: 2, seed: 0, nInit: 5, maxIter: 200, tol: 1e-6 }).fit(faithful.rows)
    const labels = gm.predict(faithful.rows), proba = gm.predictProba(faithful.rows)
    rows.forEach((r, i) => {
      expect(r[0]).toBe(String(i + 1))
      expect(Number(r[1])).toBe(labels[i]! + 1)
      const p = r.slice(2, 4).map(Number)
      expect(p[0]).toBeCloseTo(proba[i]![0]!, 12)
      expect(p[0]! + p[1]!).toBeCloseTo(1, 12)
      expect(Number(r[4])).toBeCloseTo(1 - Math.max(...proba[i]!), 12)
    })
  })

  it('--save writes a model loadModel reads; --predict --model labels new data with it, to stdout or --labels', async () => {
    const f = fakeIO({ 'train.csv': faithfulCsv })
    expect(await run(['fit', 'train.csv', '--k', '3', '--covariance', 'tied', '--save', 'm.json', '--labels', 'train.csv.labels'], f.io)).toBe(0)
    const saved = JSON.parse(f.written['m.json']!)
    expect(saved.columns).toEqual(['eruptions', 'waiting'])
    const model = await loadModel(f.written['m.json']!) as GaussianMixture
    expect(model).toBeInstanceOf(GaussianMixture)
    expect(model.nComponents).toBe(3)

    // New data: the columns in another order, and an extra text column: picked by the saved names.
    const fresh = 'id,waiting,eruptions\n' + faithful.rows.slice(0, 20).map((r, i) => `e${i},${r[1]},${r[0]}`).join('\n') + '\n'
    const g = fakeIO({ 'new.csv': fresh, 'm.json': f.written['m.json']! })
    expect(await run(['fit', 'new.csv', '--predict', '--model', 'm.json'], g.io)).toBe(0)
    const { rows } = parseLabels(g.out())
    expect(rows).toHaveLength(20)
    const trained = parseLabels(f.written['train.csv.labels']!).rows
    rows.forEach((r, i) => expect(r.slice(1)).toEqual(trained[i]!.slice(1)))
    expect(g.err()).toContain('labelling 20 rows of new.csv with the GaussianMixture in m.json')

    const h = fakeIO({ 'new.csv': fresh, 'm.json': f.written['m.json']! })
    expect(await run(['fit', 'new.csv', '--predict', '--model', 'm.json', '--labels', 'out.csv', '--svg', 'p.svg'], h.io)).toBe(0)
    expect(h.written['out.csv']).toBe(g.out())
    expect(h.written['p.svg']).toMatch(/^<svg/)
  })

  it('--predict: a headerless file needs --columns by position; a model of the other command is refused', async () => {
    const f = fakeIO()
    await run(['fit', '--k', '2', '--covariance', 'full', '--save', 'm.json'], f.io)
    const plain = faithful.rows.slice(0, 5).map((r) => r.join(',')).join('\n')
    const g = fakeIO({ 'p.csv': plain, 'm.json': f.written['m.json']! })
    expect(await run(['fit', 'p.csv', '--predict', '--model', 'm.json'], g.io)).toBe(1)
    expect(g.err()).toMatch(/no header to find them by: give --columns by position \(e\.g\. --columns 1,2\).*\[INVALID_OPTION\]/)
    const h = fakeIO({ 'p.csv': plain, 'm.json': f.written['m.json']! })
    expect(await run(['fit', 'p.csv', '--predict', '--model', 'm.json', '--columns', '1,2'], h.io)).toBe(0)
    expect(parseLabels(h.out()).rows).toHaveLength(5)
    const k = fakeIO({ 'm.json': f.written['m.json']! })
    expect(await run(['hmm', '--predict', '--model', 'm.json'], k.io)).toBe(1)
    expect(k.err()).toMatch(/holds a GaussianMixture, not a GaussianHMM: use 'emkit fit --predict'.*\[INVALID_MODEL\]/)
  })

  it('usage: --predict without --model, --model without --predict, fitting options with --predict', async () => {
    for (const argv of [['fit', '--predict'], ['fit', '--model', 'm.json'], ['fit', '--predict', '--model', 'm.json', '--k', '3'], ['fit', '--k', '3', '--covariance', 'full', '--bic-svg', 'b.svg']]) {
      const f = fakeIO()
      expect(await run(argv, f.io), argv.join(' ')).toBe(2)
      expect(f.err()).toMatch(/^emkit: /)
    }
  })
})

describe('emkit fit: K ranges, criteria, plots', () => {
  it('--k 1-3 and --k 2,4 search those K; --criterion icl picks by ICL', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '1-3', '--covariance', 'full', '--n-init', '1', '--json', 's.json'], f.io)).toBe(0)
    expect(JSON.parse(f.written['s.json']!).selection.table.map((r: { k: number }) => r.k)).toEqual([1, 2, 3])
    const g = fakeIO()
    expect(await run(['fit', '--k', '2,4', '--n-init', '1', '--criterion', 'icl', '--json', 's.json'], g.io)).toBe(0)
    expect(g.out()).toContain('ICL (BIC + the cost of the hard classification')
    const sel = JSON.parse(g.written['s.json']!).selection
    expect(sel.criterion).toBe('icl')
    expect(sel.table.map((r: { k: number }) => r.k)).toEqual([2, 2, 2, 2, 4, 4, 4, 4])
    const best = sel.table.find((r: { k: number; covarianceType: string }) => r.k === sel.best.k && r.covarianceType === sel.best.covarianceType)
    expect(best.icl).toBe(Math.min(...sel.table.map((r: { icl: number }) => r.icl)))
  })

  it('--bic-svg draws the BIC and ICL curves; --svg with more than two columns draws the scatter matrix', async () => {
    const f = fakeIO({ 'iris.csv': fixture('iris.csv') })
    expect(await run(['fit', 'iris.csv', '--columns', '1,2,3,4', '--k', '1-4', '--n-init', '1', '--bic-svg', 'b.svg', '--svg', 's.svg'], f.io)).toBe(0)
    expect(f.written['b.svg']).toMatch(/^<svg/)
    expect(f.written['b.svg']).toContain('ICL')
    const svg = f.written['s.svg']!
    expect(svg).toMatch(/^<svg/)
    for (const name of ['Sepal.Length', 'Sepal.Width', 'Petal.Length', 'Petal.Width']) expect(svg).toContain(name)
    // every off-diagonal panel (12 of them) has two ellipses per component
    const k = Number(/Chosen model: K = (\d+)/.exec(f.out())![1])
    expect((svg.match(/<ellipse/g) ?? []).length).toBe(12 * 2 * k)
  })

  it('--svg on many rows turns only the rows it draws into arrays and says how many of how many', async () => {
    // 12,000 rows of faithful repeated with a small seeded jitter
    let seed = 7
    const jitter = () => { seed = (seed * 16807) % 2147483647; return (seed / 2147483647 - 0.5) * 0.01 }
    const lines = ['eruptions,waiting']
    for (let i = 0; i < 12000; i++) { const r = faithful.rows[i % faithful.rows.length]!; lines.push(`${r[0]! + jitter()},${r[1]! + jitter()}`) }
    const f = fakeIO({ 'big.csv': lines.join('\n') })
    expect(await run(['fit', 'big.csv', '--k', '2', '--covariance', 'full', '--svg', 'p.svg'], f.io)).toBe(0)
    const svg = f.written['p.svg']!
    expect(svg).toContain('5,000 of 12,000 rows drawn (evenly spaced)')
    expect((svg.match(/<circle/g) ?? []).length).toBeLessThanOrEqual(5000 + 50) // the points, plus the means and legend marks
    const small = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'full', '--svg', 'p.svg'], small.io)).toBe(0)
    expect(small.written['p.svg']).not.toContain('rows drawn')
  })
})

describe('emkit fit: data', () => {
  it('NA and empty cells are missing values: counted, and fitted as GaussianMixture fits NaN', async () => {
    const rows = faithful.rows.map((r, i) => (i % 9 === 4 ? `${r[0]},NA` : i % 13 === 6 ? `,${r[1]}` : r.join(',')))
    const f = fakeIO({ 'na.csv': 'eruptions,waiting\n' + rows.join('\n') })
    expect(await run(['fit', 'na.csv', '--k', '2', '--covariance', 'full', '--json', 'o.json'], f.io)).toBe(0)
    const missing = rows.filter((r) => r.startsWith(',') || r.endsWith('NA')).length
    expect(f.out()).toContain(`na.csv (272 rows x 2 columns: eruptions, waiting), ${missing} missing values`)
    const X = faithful.rows.map((r, i) => (i % 9 === 4 ? [r[0]!, NaN] : i % 13 === 6 ? [NaN, r[1]!] : [...r]))
    const gm = await new GaussianMixture({ nComponents: 2, seed: 0, nInit: 5, maxIter: 200, tol: 1e-6 }).fit(X)
    expect(JSON.parse(f.written['o.json']!).model.logLik).toBe(gm.logLik)
  })

  it("R's row names (write.csv's \"\" column, write.table's short header) are skipped and name the label rows", async () => {
    const body = faithful.rows.slice(0, 30).map((r, i) => `"r${i}",${r.join(',')}`).join('\n')
    for (const text of [`"","eruptions","waiting"\n${body}\n`, `"eruptions","waiting"\n${body}\n`]) {
      const f = fakeIO({ 'rn.csv': text })
      expect(await run(['fit', 'rn.csv', '--k', '2', '--covariance', 'full', '--labels', 'l.csv'], f.io)).toBe(0)
      expect(f.out()).toContain('rn.csv (30 rows x 2 columns: eruptions, waiting), row names skipped')
      expect(parseLabels(f.written['l.csv']!).rows.map((r) => r[0])).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`))
    }
    const numbered = `"","eruptions","waiting"\n` + faithful.rows.slice(0, 30).map((r, i) => `"${i + 1}",${r.join(',')}`).join('\n')
    const g = fakeIO({ 'n.csv': numbered })
    expect(await run(['fit', 'n.csv', '--k', '2', '--covariance', 'full'], g.io)).toBe(0)
    expect(g.out()).toContain('(30 rows x 2 columns: eruptions, waiting), row names skipped')
  })

  it('warns about a constant column and a model with more parameters than rows (stderr), and still fits', async () => {
    const text = 'a,b,c\n' + Array.from({ length: 12 }, (_, i) => `${i % 3},${(i * 7) % 5},4`).join('\n')
    const f = fakeIO({ 'c.csv': text })
    expect(await run(['fit', 'c.csv', '--k', '3', '--covariance', 'full', '--reg-covar', '1e-3'], f.io)).toBe(0)
    expect(f.err()).toContain('emkit: warning: column "c" is constant (every observed value is 4)')
    expect(f.err()).toMatch(/emkit: warning: the model \(K = 3, full\) has 29 free parameters but the data have only 12 rows/)
  })
})

describe('the progress line', () => {
  it('is drawn on a terminal (stderr), erased before output, and not drawn with --quiet or without a terminal', async () => {
    let t = 0
    const tty = fakeIO({}, { stderrIsTTY: true, now: () => (t += 40) })
    expect(await run(['fit', '--k', '1-3', '--n-init', '2'], tty.io)).toBe(0)
    const err = tty.err()
    expect(err).toMatch(/\r\x1b\[2Kmodel \d+\/12, K = \d, \w+: start \d\/2, iteration \d+, log-likelihood -?\d/)
    expect(err.endsWith('\r\x1b[2K')).toBe(true)
    const quiet = fakeIO({}, { stderrIsTTY: true, now: () => (t += 40) })
    expect(await run(['fit', '--k', '1-3', '--n-init', '2', '--quiet'], quiet.io)).toBe(0)
    expect(quiet.err()).toBe('')
    const pipe = fakeIO({}, { now: () => (t += 40) })
    expect(await run(['fit', '--k', '1-3', '--n-init', '2'], pipe.io)).toBe(0)
    expect(pipe.err()).toBe('')
    // the same fit either way
    expect(quiet.out()).toBe(pipe.out())
  })
})

describe('emkit hmm', () => {
  const series = fixture('hmm_gauss3_T2000.csv')

  it('--k 3 fits one GaussianHMM: the chain, Viterbi counts, labels with posteriors, the state plot', async () => {
    const f = fakeIO({ 's.csv': series })
    expect(await run(['hmm', 's.csv', '--columns', 'x', '--k', '3', '--labels', 'l.csv', '--svg', 'h.svg', '--json', 'h.json'], f.io)).toBe(0)
    const text = f.out()
    expect(text).toContain("Model: K = 3 states, covariance 'diag'")
    expect(text).toContain('transition probabilities (row: from, column: to)')
    const X = series.trim().split('\n').slice(1).map((l) => [Number(l.split(',')[0])])
    const hmm = await new GaussianHMM({ nComponents: 3, seed: 0, nInit: 5, maxIter: 100, tol: 1e-4 }).fit(X)
    const json = JSON.parse(f.written['h.json']!)
    expect(json.model.logLik).toBe(hmm.score())
    expect(json.model.transMat).toEqual(hmm.transMat)
    const states = hmm.predict(X), post = hmm.predictProba(X)
    const { header, rows } = parseLabels(f.written['l.csv']!)
    expect(header).toEqual(['row', 'label', 'prob_1', 'prob_2', 'prob_3', 'uncertainty'])
    expect(rows.map((r) => Number(r[1]) - 1)).toEqual(states)
    expect(Number(rows[7]![2])).toBeCloseTo(post[7]![0]!, 12)
    for (let c = 0; c < 3; c++) {
      const n = states.filter((s) => s === c).length
      expect(text).toMatch(new RegExp(`\\n  ${c + 1} .* ${n} \\(`))
    }
    expect(f.written['h.svg']).toMatch(/^<svg/)
  })

  it('without a single K, chooses the number of states by BIC over the range; --save and --predict work for HMMs', async () => {
    const f = fakeIO({ 's.csv': series })
    expect(await run(['hmm', 's.csv', '--columns', '1', '--k', '2-4', '--n-init', '2', '--save', 'h.json', '--bic-svg', 'b.svg'], f.io)).toBe(0)
    expect(f.out()).toMatch(/BIC of each number of states/)
    expect(f.out()).toMatch(/Chosen model: K = 3 states/)
    expect(f.written['b.svg']).toMatch(/^<svg/)
    const g = fakeIO({ 's.csv': series, 'h.json': f.written['h.json']! })
    expect(await run(['hmm', 's.csv', '--predict', '--model', 'h.json'], g.io)).toBe(0)
    expect(parseLabels(g.out()).rows).toHaveLength(2000)
  })

  it('--predict runs Viterbi once, and the posteriors in time order once for the labels and once for the plot (never n x K of them at once)', async () => {
    const f = fakeIO({ 's.csv': series })
    expect(await run(['hmm', 's.csv', '--columns', 'x', '--k', '3', '--n-init', '1', '--save', 'h.json'], f.io)).toBe(0)
    const viterbi = vi.spyOn(HmmModel.prototype, 'viterbi')
    const forwardBackward = vi.spyOn(HmmModel.prototype, 'forwardBackward')
    const inTimeOrder = vi.spyOn(HmmModel.prototype, 'posteriorsInTimeOrder')
    try {
      for (const extra of [['--labels', 'l.csv', '--svg', 'p.svg'], ['--svg', 'p.svg']]) {
        viterbi.mockClear()
        forwardBackward.mockClear()
        inTimeOrder.mockClear()
        const g = fakeIO({ 's.csv': series, 'h.json': f.written['h.json']! })
        expect(await run(['hmm', 's.csv', '--predict', '--model', 'h.json', ...extra], g.io), g.err()).toBe(0)
        expect([viterbi.mock.calls.length, forwardBackward.mock.calls.length, inTimeOrder.mock.calls.length], extra.join(' ')).toEqual([1, 0, 2])
        expect(g.written['p.svg']).toMatch(/^<svg/)
        const labels = parseLabels(extra[0] === '--labels' ? g.written['l.csv']! : g.out())
        const hmm = await loadModel(f.written['h.json']!) as GaussianHMM
        const X = series.trim().split('\n').slice(1).map((l) => [Number(l.split(',')[0])])
        expect(labels.rows.map((r) => Number(r[1]) - 1)).toEqual(hmm.predict(X))
        expect(Number(labels.rows[7]![2])).toBeCloseTo(hmm.predictProba(X)[7]![0]!, 12)
      }
    } finally {
      viterbi.mockRestore()
      forwardBackward.mockRestore()
      inTimeOrder.mockRestore()
    }
  })
})

describe('arguments', () => {
  it('--version prints the version', async () => {
    const f = fakeIO({}, { version: '9.8.7' })
    expect(await run(['--version'], f.io)).toBe(0)
    expect(f.out()).toBe('emkit 9.8.7\n')
  })

  it('--k: a number, a range, a list, mixed; bad ones are usage errors', () => {
    expect(kList('3')).toEqual([3])
    expect(kList('1-9')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(kList('2,3,5')).toEqual([2, 3, 5])
    expect(kList('1-3,6,2')).toEqual([1, 2, 3, 6])
    for (const bad of ['0', '3-1', '1-', 'a', '2,,3', '1-100000', '-2']) expect(() => kList(bad), bad).toThrow(UsageError)
  })

  it('parseArgs errors keep their exit status and name the option', async () => {
    const cases: [string[], RegExp][] = [
      [['fit', '--quiet=yes'], /option --quiet takes no value/],
      [['fit', '--k', '--svg', 'x.svg'], /option --k needs a value/],
      [['fit', '--lables', 'x.csv'], /unknown option --lables \(did you mean --labels\?\)/],
      [['hmm', '--covariance', 'banded'], /--covariance must be one of/],
    ]
    for (const [argv, message] of cases) {
      const f = fakeIO()
      expect(await run(argv, f.io), argv.join(' ')).toBe(2)
      expect(f.err()).toMatch(message)
    }
    expect(parseFitArgs(['-q', '--k=2-3'], 'hmm')).toMatchObject({ command: 'hmm', quiet: true, k: [2, 3], tol: 1e-4, maxIter: 100 })
  })
})

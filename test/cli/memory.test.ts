/**
 * `emkit fit` on a ~50 MB CSV: the peak resident memory of the whole process stays
 * under 4x the file's size. The command reads the file as it streams in, straight into
 * kernel memory (cli/resident.ts: no rows of strings, no JS array of the numbers), where
 * the estimator checks it without copying (it is the command's own: core/validate's
 * markOwned) and the Gaussian mixture's fit reads it in place (Arena.lend); the rest of
 * the peak is Node itself (~50 MB) and the fit's kernel memory (the responsibilities and
 * row log-likelihoods; an HMM copies the rows into its own arena).
 *
 * The file holds doubles as JavaScript (or pandas) writes them, ~19 bytes a value:
 * 2.2x (2.7x with a JS array of the numbers beside the fit's copy, 3.2x while the
 * estimator also copied the parsed numbers). The ratio grows as the text per value
 * shrinks, since a value is 8 bytes in memory however short its text: at 2 decimals
 * (~5.3 bytes a value, the last describe) it is 3.7x at K = 1 and 3.85x at K = 8 (5.4x
 * with the JS array, 8.1x with the copy too, when the E-step still held every row's
 * responsibilities); --stream (never all of the file in memory) 3.2-3.7x. Runs the
 * built command (dist/).
 */
import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { REPO_ROOT } from '../helpers/static-server.js'

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')
// Prints the process's peak resident set size (kB on Linux) to stderr as it exits.
const REPORT_PEAK = `data:text/javascript,process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'))`

/** ~`bytes` of CSV: a header and rows of `columns` doubles from two clusters (as JS prints them, or at `decimals`), a block of 20,000 rows repeated. */
function writeCsv(path: string, bytes: number, decimals?: number, columns = 5): void {
  const rng = new Rng(7)
  const normal = () => rng.uniform() + rng.uniform() + rng.uniform() - 1.5
  const text = (v: number) => (decimals === undefined ? String(v) : v.toFixed(decimals))
  const rows: string[] = []
  for (let i = 0; i < 20000; i++) rows.push(Array.from({ length: columns }, (_, j) => text(2 * normal() + (i % 2) * (j + 3))).join(','))
  const block = rows.join('\n') + '\n'
  const fd = openSync(path, 'w')
  writeSync(fd, Array.from({ length: columns }, (_, j) => `x${j + 1}`).join(',') + '\n')
  for (let n = 0; n < bytes; n += block.length) writeSync(fd, block)
  closeSync(fd)
}

/** Runs the built command with `args`; its peak RSS in bytes and its stdout. */
function peakOf(args: string[]): { peak: number; stdout: string } {
  const run = spawnSync(process.execPath, ['--import', REPORT_PEAK, MAIN, ...args], { encoding: 'utf8' })
  expect(run.status, run.stderr).toBe(0)
  return { peak: Number(/maxrss (\d+)/.exec(run.stderr)![1]) * 1024, stdout: run.stdout }
}

describe('emkit fit on a 50 MB CSV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-memory-'))
  const file = join(dir, 'big.csv')
  writeCsv(file, 50e6)
  const size = statSync(file).size
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('peaks at less than 4x the file size', () => {
    const { peak, stdout } = peakOf(['fit', file, '--k', '1', '--covariance', 'full', '--max-iter', '3', '--n-init', '1', '--quiet'])
    expect(stdout).toMatch(/big\.csv \(\d+ rows x 5 columns: x1, x2, x3, x4, x5\)/)
    const rows = Number(/\((\d+) rows/.exec(stdout)![1])
    expect(rows).toBeGreaterThan(500000)
    const ratio = peak / size
    console.log(`emkit fit on a ${(size / 1e6).toFixed(1)} MB CSV (${rows} rows x 5): peak RSS ${(peak / 2 ** 20).toFixed(0)} MB = ${ratio.toFixed(2)}x the file`)
    expect(ratio).toBeLessThan(4)
  }, 120000)

  /** --svg draws a few thousand evenly spaced rows: only those become arrays. */
  it('with --svg still peaks at less than 4x the file size', () => {
    const svg = join(dir, 'p.svg')
    const { peak } = peakOf(['fit', file, '--k', '1', '--covariance', 'full', '--max-iter', '3', '--n-init', '1', '--quiet', '--svg', svg])
    const ratio = peak / size
    console.log(`emkit fit --svg on a ${(size / 1e6).toFixed(1)} MB CSV: peak RSS ${(peak / 2 ** 20).toFixed(0)} MB = ${ratio.toFixed(2)}x the file`)
    expect(readFileSync(svg, 'utf8')).toContain('rows drawn (evenly spaced)')
    expect(ratio).toBeLessThan(4)
  }, 120000)

  /**
   * The labels (every row's posteriors) are computed a block of rows at a time for a
   * mixture, and as one flat array for an HMM (its posteriors need the whole sequence),
   * and written out as they are made: no array per row, no whole CSV text.
   */
  it('fit --labels, then --predict with the saved model, each peak at less than 4x the file size', () => {
    const labels = join(dir, 'labels.csv'), model = join(dir, 'model.json')
    const fitted = peakOf(['fit', file, '--k', '2', '--covariance', 'full', '--max-iter', '3', '--n-init', '1', '--quiet', '--labels', labels, '--save', model])
    const rows = Number(/\((\d+) rows/.exec(fitted.stdout)![1])
    const text = readFileSync(labels, 'utf8')
    expect(text.startsWith('row,label,prob_1,prob_2,uncertainty\n1,')).toBe(true)
    expect(text.split('\n').length).toBe(rows + 2)
    const predicted = peakOf(['fit', file, '--model', model, '--predict', '--quiet', '--labels', labels])
    expect(readFileSync(labels, 'utf8')).toBe(text)
    console.log(`emkit fit --labels / --predict on a ${(size / 1e6).toFixed(1)} MB CSV: peak RSS ${(fitted.peak / 2 ** 20).toFixed(0)} / ${(predicted.peak / 2 ** 20).toFixed(0)} MB = ${(fitted.peak / size).toFixed(2)}x / ${(predicted.peak / size).toFixed(2)}x the file`)
    expect(fitted.peak / size).toBeLessThan(4)
    expect(predicted.peak / size).toBeLessThan(4)
  }, 120000)

  /**
   * The HMM's fit peaks at ~3.4x: its kernel memory holds the rows again with n x K
   * emission densities, forward and backward buffers (the posteriors are written over the
   * forward pass's, hmm/model.ts). The plot and the labels then read the posteriors where
   * forward-backward left them, in the kernel memory the fit freed (GaussianHMM's
   * withPosteriors: no n x K copy in JS); what they add is mostly V8's young generation
   * growing under the text they make. The labels' numbers are written without
   * String(number), whose cache of strings took every one of them to the old generation
   * (labels.ts num: 3.89x -> 3.67x here, 4.8x -> 3.97x at K = 3). 7.7x and 6.6x before any
   * of this; 4.07x and 4.36x with a JS copy of the posteriors and a separate posterior buffer.
   */
  it('hmm with --svg, and with --labels, each peak at less than 4x the file size', () => {
    const { plotted, labelled, svg, labels } = hmmPeaks(2)
    expect(svg).toMatch(/4,000 of [\d,]+ steps drawn as points \(evenly spaced\)/)
    const rows = Number(/\((\d+) rows/.exec(labelled.stdout)![1])
    expect(labels.split('\n').length).toBe(rows + 2)
    expect(plotted.peak / size).toBeLessThan(4)
    expect(labelled.peak / size).toBeLessThan(4)
  }, 120000)

  /**
   * K = 3 (n x 3 buffers): 4.05-4.20x --svg and 3.97x --labels while Viterbi's call
   * prepared the forward-backward buffers it never reads (now allocated on first use:
   * the fit's kernel memory is not grown again), the path came back as a JS number array
   * (8 bytes a step; the command now takes predictPath's Int32Array) and the plot was
   * ~20,000 strings joined at the end (they survived young-generation collections and
   * doubled V8's new space; the command now writes hmmSvgChunks' pieces as they are
   * made). Measured after: 3.50-3.59x --svg, 3.65-3.74x --labels.
   */
  it('hmm --k 3 with --svg peaks at less than 3.8x the file size, with --labels at less than 4x', () => {
    const { plotted, labelled, svg, labels } = hmmPeaks(3)
    expect(svg).toMatch(/<\/svg>\n$/)
    expect(labels.startsWith('row,label,prob_1,prob_2,prob_3,uncertainty\n1,')).toBe(true)
    expect(plotted.peak / size).toBeLessThan(3.8)
    expect(labelled.peak / size).toBeLessThan(4)
  }, 120000)

  /** `emkit hmm FILE --k K` with --svg, then with --labels (two processes), each peak printed; the files written. */
  function hmmPeaks(k: number) {
    const svgFile = join(dir, `states${k}.svg`), labelsFile = join(dir, `states${k}.csv`)
    const args = ['hmm', file, '--k', String(k), '--max-iter', '2', '--n-init', '1', '--quiet']
    const plotted = peakOf([...args, '--svg', svgFile])
    const labelled = peakOf([...args, '--labels', labelsFile])
    console.log(`emkit hmm --k ${k} --svg / --labels on a ${(size / 1e6).toFixed(1)} MB CSV: peak RSS ${(plotted.peak / 2 ** 20).toFixed(0)} / ${(labelled.peak / 2 ** 20).toFixed(0)} MB = ${(plotted.peak / size).toFixed(2)}x / ${(labelled.peak / size).toFixed(2)}x the file`)
    return { plotted, labelled, svg: readFileSync(svgFile, 'utf8'), labels: readFileSync(labelsFile, 'utf8') }
  }

  /**
   * The default path, a search over covariance types (here at K = 6, the default's
   * largest: its n x K responsibilities are the largest buffers): each cell's
   * classification term of ICL is read where the posteriors are, not copied out as
   * n row arrays (~50 MB a cell at K = 6, which took the search to 7.6x the file), and
   * k-means' distances went to the responsibilities' buffer (3.9x -> 3.5x then; since the
   * E-step runs over row blocks there is no n x K buffer to lend, and the search peaks at
   * 2.8-2.9x).
   * The increase over the same command on a 20,000-row file (~2 MB) (Node and emkit loaded)
   * is what the data costs.
   */
  it('the default search (covariance types at K = 6) adds at most 4x the file size', () => {
    const small = join(dir, 'small.csv')
    writeCsv(small, 1)
    const args = ['--k', '6', '--max-iter', '1', '--n-init', '1', '--quiet']
    const base = peakOf(['fit', small, ...args]).peak
    const { peak, stdout } = peakOf(['fit', file, ...args])
    expect(stdout).toMatch(/Chosen model: K = 6/)
    const ratio = (peak - base) / size
    console.log(`emkit fit (search) on a ${(size / 1e6).toFixed(1)} MB CSV: peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (${(peak / size).toFixed(2)}x the file), ${(base / 2 ** 20).toFixed(0)} MB on 20,000 rows: the data adds ${ratio.toFixed(2)}x the file`)
    expect(ratio).toBeLessThanOrEqual(4)
    expect(peak / size).toBeLessThan(4) // Node and emkit included
  }, 120000)
})

/**
 * The same rows at 2 decimals (~5.3 bytes a value, as iris and most real data sets are
 * written): 8 bytes a value in memory are then 1.5x the file for each copy of the numbers.
 * --stream holds one chunk of rows: 3.2-3.7x (3.9x while the estimator copied each
 * chunk the reader had already copied out: the command marks them its own). The fit in
 * memory: 3.7x at K = 1, 3.85x at K = 8: Node (~50 MB, 1x), the rows once in kernel
 * memory (1.5x), k-means' per-row distances and labels during the start (9 bytes a
 * row: ~0.35x), V8's
 * heap (0.3-0.5x); the E-steps run over blocks of 65,536 rows (engine/blocks.ts), so
 * the n x K responsibilities are one block's (3.8-3.9x at K = 1 and 6.9x at K = 8 while
 * they were every row's; 6.0x at K = 1 with a JS array of the numbers beside the kernel
 * copy too). docs/architecture.md (The command's memory) has the other shapes.
 */
describe('emkit fit on a 50 MB CSV of 2-decimal values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-memory-short-'))
  const file = join(dir, 'short.csv')
  writeCsv(file, 50e6, 2)
  const size = statSync(file).size
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('--stream, and in memory at K = 1 and K = 8, each peak at less than 4x the file size', () => {
    const args = ['fit', file, '--covariance', 'full', '--max-iter', '3', '--quiet']
    const streamed = peakOf([...args, '--k', '1', '--stream'])
    const rows = Number(/\((\d+) rows/.exec(streamed.stdout)![1])
    expect(rows).toBeGreaterThan(1800000)
    const inMemory = peakOf([...args, '--k', '1', '--n-init', '1'])
    const eight = peakOf([...args, '--k', '8', '--n-init', '1'])
    console.log(`emkit fit --stream / in memory (K = 1, K = 8) on a ${(size / 1e6).toFixed(1)} MB CSV of 2-decimal values (${rows} rows x 5): peak RSS ${[streamed, inMemory, eight].map((r) => (r.peak / 2 ** 20).toFixed(0)).join(' / ')} MB = ${[streamed, inMemory, eight].map((r) => (r.peak / size).toFixed(2) + 'x').join(' / ')} the file`)
    expect(streamed.peak / size).toBeLessThan(4)
    expect(inMemory.peak / size).toBeLessThan(4)
    expect(eight.peak / size).toBeLessThan(4)
  }, 180000)
  it('a search scores each model a block of rows at a time: at less than 4x the file size', () => {
    // every row's responsibilities of the K = 8 cell (1.9 million rows x 8 doubles) would add 2.4x the file
    const search = peakOf(['fit', file, '--k', '2,8', '--covariance', 'full', '--max-iter', '2', '--n-init', '1', '--quiet'])
    expect(search.stdout).toMatch(/BIC/)
    console.log(`emkit fit --k 2,8 (search) on a ${(size / 1e6).toFixed(1)} MB CSV of 2-decimal values: peak RSS ${(search.peak / 2 ** 20).toFixed(0)} MB = ${(search.peak / size).toFixed(2)}x the file`)
    expect(search.peak / size).toBeLessThan(4)
  }, 180000)
})

/**
 * Two columns at 2 decimals: ~5.3 bytes a value for the 12 bytes a row costs as doubles
 * (the rows alone are 1.5x the file), and the most steps per megabyte: the HMM's labels
 * and state plot of a long sequence. Each was 5.8-6.0x at K = 3 while it read the
 * posteriors from one n x K buffer beside a JS Int32Array path; now the posteriors come
 * a block at a time in time order (withPosteriorBlocks) and the path a byte a step
 * (predictPath into a Uint8Array): 3.46x / 3.61x measured.
 */
describe('emkit hmm and fit --labels on a 50 MB CSV of two 2-decimal columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-memory-two-'))
  const file = join(dir, 'two.csv')
  writeCsv(file, 50e6, 2, 2)
  const size = statSync(file).size
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('--k 3 with --svg, and with --labels, each peak at less than 4x the file size', () => {
    const svgFile = join(dir, 'states.svg'), labelsFile = join(dir, 'states.csv')
    const args = ['hmm', file, '--k', '3', '--max-iter', '2', '--n-init', '1', '--quiet']
    const plotted = peakOf([...args, '--svg', svgFile])
    const labelled = peakOf([...args, '--labels', labelsFile])
    const rows = Number(/\((\d+) rows/.exec(labelled.stdout)![1])
    expect(rows).toBeGreaterThan(4_000_000)
    expect(readFileSync(svgFile, 'utf8')).toMatch(/<\/svg>\n$/)
    // the last line whole (the labels of every step, in order)
    expect(readFileSync(labelsFile, 'utf8').split('\n').at(-2)).toMatch(new RegExp(`^${rows},[123],`))
    console.log(`emkit hmm --k 3 --svg / --labels on a ${(size / 1e6).toFixed(1)} MB CSV of two 2-decimal columns (${rows} rows): peak RSS ${[plotted, labelled].map((r) => (r.peak / 2 ** 20).toFixed(0)).join(' / ')} MB = ${[plotted, labelled].map((r) => (r.peak / size).toFixed(2) + 'x').join(' / ')} the file`)
    expect(plotted.peak / size).toBeLessThan(4)
    expect(labelled.peak / size).toBeLessThan(4)
  }, 180000)

  /** A mixture's labels read withPosteriorBlocks (a predictProba per 1,024 rows peaked at 4.4x this file; 3.53x / 3.58x measured now). */
  it('fit --k 3 --labels, then --predict with the saved model, each peak at less than 4x the file size', () => {
    const labels = join(dir, 'labels.csv'), model = join(dir, 'model.json')
    const fitted = peakOf(['fit', file, '--k', '3', '--covariance', 'full', '--max-iter', '2', '--n-init', '1', '--quiet', '--labels', labels, '--save', model])
    const text = readFileSync(labels, 'utf8')
    const predicted = peakOf(['fit', file, '--model', model, '--predict', '--quiet', '--labels', labels])
    expect(readFileSync(labels, 'utf8')).toBe(text)
    console.log(`emkit fit --k 3 --labels / --predict on a ${(size / 1e6).toFixed(1)} MB CSV of two 2-decimal columns: peak RSS ${[fitted, predicted].map((r) => (r.peak / 2 ** 20).toFixed(0)).join(' / ')} MB = ${[fitted, predicted].map((r) => (r.peak / size).toFixed(2) + 'x').join(' / ')} the file`)
    expect(fitted.peak / size).toBeLessThan(4)
    expect(predicted.peak / size).toBeLessThan(4)
  }, 180000)
})

/**
 * A fitted hidden Markov model over its data: each chosen column against time, points
 * coloured by their Viterbi state, each state's mean as a dashed line; beneath, the
 * Viterbi path as a band and each state's posterior probability as a stacked area
 * (they sum to one at every step). Long series are binned to the pixel width for the
 * band and the area (the mean posterior of a bin is its exact share of that bin) and
 * thinned to an evenly spaced subset for the points.
 */
import { InputError } from '../core/errors.js'
import { blockCursor, type MatrixBlocks } from '../core/matrix.js'
import {
  INK, MUTED, PAD, axes, checkInputObject, chooseColumns, clip, clipClose, clipOpen, close, componentColor, count, esc, evenSubset, finiteRange,
  header, linear, open, padRange, r2, sameWidthRows, sizeOption, takeText, textWidth, yLabelWidth, type Box, type Scale,
} from './kit.js'

/** T rows of w values, row-major, as the estimators take X: a long series without an array per step. */
export interface RowMajor {
  readonly data: ArrayLike<number>
  readonly rows: number
  readonly cols: number
}

export interface HmmSvgInput {
  /** The observations, T x d (rows, or `{ data, rows, cols }`), or a series of numbers (one column); several sequences are concatenated. */
  series: ArrayLike<ArrayLike<number>> | ArrayLike<number> | RowMajor
  /** The Viterbi state of each time step, 0 .. K-1 (e.g. `model.predict(X)` or `model.decode(X).states`). */
  states: ArrayLike<number>
  /**
   * The posterior probability of each state at each step, T x K (`model.predictProba(X)`,
   * `model.predictProbaMatrix(X)`, or a block at a time in time order: what
   * `model.withPosteriorBlocks(X, read)` gives `read`, read once as the plot is made); omitted: no area.
   */
  posteriors?: ArrayLike<ArrayLike<number>> | RowMajor | MatrixBlocks | null
  /** Each state's mean, K x d: a dashed line per state in each panel. */
  means?: readonly (readonly number[])[] | null
  /** Column names; default x1, x2, ... (or "value" for one column). */
  columns?: readonly string[] | null
  /** Draw these columns only (0-based indices or names); default all. */
  select?: readonly (number | string)[] | null
  /** Lengths of the concatenated sequences (as given to fit): a separator at each boundary. */
  lengths?: readonly number[] | null
  title?: string
  subtitle?: string
  /** Pixel width (default 1000); the height follows from the number of panels (or is given). */
  width?: number
  height?: number
  /** At most this many points per panel (an evenly spaced subset beyond it; default 4000). */
  maxPoints?: number
}

/** Value j of row t, whichever form the table came in. */
type At = (t: number, j: number) => number

function isRowMajor(v: unknown): v is RowMajor {
  return typeof v === 'object' && v !== null && !('length' in v) && 'data' in v && 'rows' in v && 'cols' in v
}

/** A { data, rows, cols } table checked (whole rows and columns, data of rows x cols values) and read in place. */
function rowMajor(what: string, m: RowMajor): { T: number; w: number; at: At } {
  const { data, rows: T, cols: w } = m
  if (!Number.isInteger(T) || T < 0 || !Number.isInteger(w) || w < 1 || typeof data?.length !== 'number' || data.length !== T * w) {
    throw new InputError('SHAPE_MISMATCH', `hmmSvg: ${what} as { data, rows, cols } needs whole rows >= 0 and cols >= 1 and data of rows x cols values; got rows ${String(T)}, cols ${String(w)} and ${String(data?.length)} values.`)
  }
  return { T, w, at: (t, j) => data[t * w + j]! }
}

function isBlocks(v: unknown): v is MatrixBlocks {
  return typeof v === 'object' && v !== null && 'blocks' in v && 'rows' in v && 'cols' in v
}

/** Blocks of posteriors read step by step in time order (binnedPosteriors reads them once so): each block checked as it comes. */
function inTimeOrder(m: MatrixBlocks): { T: number; w: number; at: At } {
  const { rows: T, cols: w } = m
  if (!Number.isInteger(T) || T < 0 || !Number.isInteger(w) || w < 1 || typeof m.blocks?.[Symbol.iterator] !== 'function') {
    throw new InputError('SHAPE_MISMATCH', `hmmSvg: posteriors as { rows, cols, blocks } need whole rows >= 0 and cols >= 1 and an iterable of blocks; got rows ${String(T)}, cols ${String(w)}.`)
  }
  const blockAt = blockCursor(m, 'hmmSvg: the posterior blocks', 'step')
  return { T, w, at: (t, j) => { const b = blockAt(t); return b.data[(t - b.start) * w + j]! } }
}

function checkInput(input: HmmSvgInput): { at: At; T: number; d: number; K: number; prob: At | null } {
  checkInputObject('hmmSvg', input, '{ series, states, ... }')
  let T: number, d: number, at: At
  if (isRowMajor(input.series)) {
    ({ T, w: d, at } = rowMajor('series', input.series))
    if (T === 0) throw new InputError('EMPTY_DATA', 'hmmSvg: series is empty; give at least one time step.')
  } else {
    const checked = sameWidthRows('hmmSvg', 'series', input.series, 'step')
    const rows = checked.rows
    T = rows.length
    d = checked.d
    at = (t, j) => rows[t]![j]!
  }
  const states = input.states
  if (!states || states.length !== T) throw new InputError('SHAPE_MISMATCH', `hmmSvg: ${states?.length ?? 'no'} states for ${T} steps; give the Viterbi state of every step (model.predict(X)).`)
  let K = 0
  for (let t = 0; t < T; t++) {
    const s = states[t]!
    if (!Number.isInteger(s) || s < 0) throw new InputError('INVALID_DATA', `hmmSvg: state ${String(s)} at step ${t}; states are whole numbers 0 .. K-1.`, { row: t })
    K = Math.max(K, s + 1)
  }
  const post = input.posteriors ?? null
  let prob: At | null = null
  if (post) {
    // each form as (rows, states, reader), checked once against the path
    const rowMajorForm = isRowMajor(post), blocksForm = isBlocks(post)
    const m = rowMajorForm ? rowMajor('posteriors', post) : blocksForm ? inTimeOrder(post) : { T: post.length, w: post[0]?.length ?? 0, at: ((t, k) => post[t]![k]!) as At }
    if (m.T !== T) throw new InputError('SHAPE_MISMATCH', `hmmSvg: ${m.T} rows of posteriors for ${T} steps; give model.predictProba(X) for the same data.`)
    if (m.w < K) throw new InputError('SHAPE_MISMATCH', `hmmSvg: the posteriors have ${m.w} states but the Viterbi path visits state ${K - 1}; give both for the same model.`)
    K = m.w
    prob = m.at
    if (!rowMajorForm && !blocksForm) for (let t = 0; t < T; t++) if (post[t]?.length !== K) throw new InputError('SHAPE_MISMATCH', `hmmSvg: posterior row ${t} has ${post[t]?.length ?? 0} values; every row needs ${K}.`, { row: t })
  }
  const means = input.means ?? null
  if (means) {
    if (means.length < K) throw new InputError('SHAPE_MISMATCH', `hmmSvg: ${means.length} state means for ${K} states; give one mean per state (model.means).`)
    K = Math.max(K, means.length)
    for (const mu of means) if (mu?.length !== d) throw new InputError('SHAPE_MISMATCH', `hmmSvg: a state mean has ${mu?.length ?? 0} values but the series has ${d} columns.`)
  }
  const lengths = input.lengths ?? null
  if (lengths && lengths.reduce((a, b) => a + b, 0) !== T) {
    throw new InputError('SHAPE_MISMATCH', `hmmSvg: lengths add up to ${lengths.reduce((a, b) => a + b, 0)} but the series has ${T} steps; give the lengths given to fit.`)
  }
  return { at, T, d, K, prob }
}

/** Render the series, its Viterbi states and the state posteriors as an SVG document (a string). */
export function hmmSvg(input: HmmSvgInput): string {
  return [...hmmSvgChunks(input)].join('')
}

/** Lines of the document held before they are handed on as one chunk. */
const CHUNK_LINES = 512

/**
 * hmmSvg's document as consecutive pieces of its text (their concatenation is hmmSvg's
 * string), each made when the consumer asks for it: the command writes each to the file
 * and drops it. A long series' plot is ~20,000 short strings; held until one join, they
 * survived V8's young-generation collections and made it double its size (~16 MB of the
 * peak of `emkit hmm --svg` on a 50 MB file).
 */
export function hmmSvgChunks(input: HmmSvgInput): Generator<string, void, undefined> {
  // the input and the layout here, when called; only the drawing waits for the consumer (a generator's
  // body runs at the first next()): a caller writing the pieces to a file gets the error before any piece
  const { at, T, d, K, prob: post } = checkInput(input)
  const names = input.columns ?? null
  const cols = chooseColumns('hmmSvg', d, names, input.select)
  const colName = (j: number) => (names && names[j]) || (d === 1 ? 'value' : `x${j + 1}`)
  const states = input.states
  const means = input.means ?? null
  const shown = evenSubset(T, sizeOption('hmmSvg', 'maxPoints', input.maxPoints, 4000, 1))
  const W = sizeOption('hmmSvg', 'width', input.width, 1000, 320)
  const m = cols.length

  const title = input.title ?? `Hidden Markov model, ${K} states`
  const subtitle = input.subtitle ?? [count(T, 'step'), m < d ? `${m} of ${count(d, 'column')}` : count(d, 'column'), shown.length < T ? `${shown.length.toLocaleString('en-US')} points drawn` : '']
    .filter(Boolean).join(' \u00b7 ')
  const head = header(W, title, subtitle)
  const top = 92 + head.extra

  // Vertical budget: the panels share what the band, the area and the legend leave.
  const legendH = 26
  const bandH = 12
  const areaH = post ? 78 : 0
  const bottomH = 42 + bandH + 14 + (post ? areaH + 14 : 0)
  const panelH = input.height !== undefined
    ? Math.max(60, (sizeOption('hmmSvg', 'height', input.height, 0, 240) - top - legendH - bottomH - 12 * (m - 1)) / m)
    : Math.max(110, Math.min(200, 420 / m))
  const H = input.height ?? top + legendH + m * panelH + 12 * (m - 1) + bottomH

  const ranges = cols.map((j) => {
    const vals = shown.map((t) => at(t, j))
    if (means) for (let k = 0; k < K; k++) vals.push(means[k]![j]!)
    return padRange(finiteRange(vals), 0.06)
  })
  const labelW = Math.max(...ranges.map(([lo, hi]) => yLabelWidth(lo, hi, 4)))
  const left = Math.max(64, 44 + labelW)
  const right = W - 16
  const xs = linear(-0.5, T - 0.5, left, right)

  return (function* draw(): Generator<string, void, undefined> {
    const out: string[] = []
    open(out, W, H, head)
    legend(out, K, top - 8, W)
    yield takeText(out)

    let y = top + legendH
    for (const [p, j] of cols.entries()) {
      const box: Box = { left, top: y, right, bottom: y + panelH }
      const ys = linear(ranges[p]![0], ranges[p]![1], box.bottom, box.top)
      out.push(`<g class="panel series-panel" data-column="${j}">`)
      axes(out, box, xs, ys, { yTitle: colName(j), xLabels: false, yCount: 4, xCount: 8, integerX: true })
      clipOpen(out, box)
      boundaries(out, input.lengths ?? null, xs, box)
      if (means) {
        for (let k = 0; k < K; k++) {
          const my = r2(ys(means[k]![j]!))
          out.push(`<line class="state-mean" data-state="${k}" x1="${left}" y1="${my}" x2="${right}" y2="${my}" stroke="${componentColor(k)}" stroke-width="1.4" stroke-dasharray="6 4"/>`)
        }
      }
      if (shown.length === T && T > 1) {
        out.push(`<polyline class="series-line" points="${shown.map((t) => `${r2(xs(t))},${r2(ys(at(t, j)))}`).join(' ')}" fill="none" stroke="#b8b8b8" stroke-width="0.8"/>`)
      }
      const radius = shown.length > 2000 ? 1.6 : shown.length > 500 ? 2.2 : 2.8
      const byState = new Map<number, number[]>()
      for (const t of shown) {
        const s = states[t]!
        let g = byState.get(s)
        if (!g) byState.set(s, (g = []))
        g.push(t)
      }
      for (const [s, ts] of [...byState.entries()].sort((a, b) => a[0] - b[0])) {
        out.push(`<g class="points" data-state="${s}" fill="${componentColor(s)}" fill-opacity="0.85">`)
        for (const t of ts) {
          const py = ys(at(t, j))
          if (Number.isFinite(py)) out.push(`<circle cx="${r2(xs(t))}" cy="${r2(py)}" r="${radius}"/>`)
          if (out.length >= CHUNK_LINES) yield takeText(out)
        }
        out.push('</g>')
      }
      clipClose(out)
      out.push('</g>')
      yield takeText(out)
      y = box.bottom + 12
    }

    // The Viterbi band, then the posterior area, on the same time axis.
    const bins = Math.max(1, Math.min(T, Math.floor(right - left)))
    const edge = (b: number) => xs(-0.5 + (b * T) / bins)
    const band: Box = { left, top: y + 2, right, bottom: y + 2 + bandH }
    out.push('<g class="viterbi">')
    out.push(`<text x="${left - 8}" y="${r2(band.bottom - 2)}" text-anchor="end" font-size="11" fill="${MUTED}">Viterbi</text>`)
    let runStart = 0
    const modal = binnedStates(states, T, K, bins)
    for (let b = 1; b <= bins; b++) {
      if (b === bins || modal[b] !== modal[runStart]) {
        out.push(`<rect x="${r2(edge(runStart))}" y="${band.top}" width="${r2(edge(b) - edge(runStart))}" height="${bandH}" fill="${componentColor(modal[runStart]!)}"/>`)
        runStart = b
      }
    }
    out.push('</g>')
    y = band.bottom + 14
    if (post) {
      const area: Box = { left, top: y, right, bottom: y + areaH }
      const ya = linear(0, 1, area.bottom, area.top)
      out.push('<g class="panel posterior-panel">')
      const share = binnedPosteriors(post, T, K, bins)
      const lower = new Float64Array(bins)
      for (let k = 0; k < K; k++) {
        const upper = lower.map((v, b) => v + share[b * K + k]!)
        const top: string[] = []
        const bottom: string[] = []
        for (let b = 0; b < bins; b++) {
          top.push(`${r2(edge(b))},${r2(ya(upper[b]!))}`, `${r2(edge(b + 1))},${r2(ya(upper[b]!))}`)
          bottom.push(`${r2(edge(b))},${r2(ya(lower[b]!))}`, `${r2(edge(b + 1))},${r2(ya(lower[b]!))}`)
        }
        out.push(`<polygon class="posterior" data-state="${k}" points="${top.join(' ')} ${bottom.reverse().join(' ')}" fill="${componentColor(k)}" fill-opacity="0.85" stroke="none"/>`)
        lower.set(upper)
      }
      axes(out, area, xs, ya, { xTitle: 'time step', yTitle: 'P(state)', yCount: 2, xCount: 8, integerX: true, grid: false, yTitleX: left - 40 })
      out.push('</g>')
    } else {
      axes(out, band, xs, linear(0, 1, band.bottom, band.top), { xTitle: 'time step', yLabels: false, xCount: 8, integerX: true, grid: false })
    }
    yield close(out)
  })()
}

/** Separators between concatenated sequences. */
function boundaries(out: string[], lengths: readonly number[] | null, xs: Scale, box: Box): void {
  if (!lengths || lengths.length < 2) return
  let t = 0
  out.push(`<g class="boundaries" stroke="${INK}" stroke-opacity="0.45" stroke-width="1" stroke-dasharray="2 3">`)
  for (let s = 0; s < lengths.length - 1; s++) {
    t += lengths[s]!
    const x = r2(xs(t - 0.5))
    out.push(`<line x1="${x}" y1="${box.top}" x2="${x}" y2="${box.bottom}"/>`)
  }
  out.push('</g>')
}

/** The most frequent Viterbi state in each of `bins` equal time bins. */
function binnedStates(states: ArrayLike<number>, T: number, K: number, bins: number): number[] {
  const out: number[] = []
  const tally = new Array<number>(K)
  for (let b = 0; b < bins; b++) {
    const t0 = Math.floor((b * T) / bins)
    const t1 = Math.max(t0 + 1, Math.floor(((b + 1) * T) / bins))
    tally.fill(0)
    for (let t = t0; t < t1; t++) tally[states[t]!]!++
    out.push(tally.indexOf(Math.max(...tally)))
  }
  return out
}

/** Each state's mean posterior in each of `bins` equal time bins (row-major, bins x K), renormalised. */
function binnedPosteriors(post: At, T: number, K: number, bins: number): Float64Array {
  const out = new Float64Array(bins * K)
  for (let b = 0; b < bins; b++) {
    const t0 = Math.floor((b * T) / bins)
    const t1 = Math.max(t0 + 1, Math.floor(((b + 1) * T) / bins))
    let total = 0
    for (let t = t0; t < t1; t++) {
      for (let k = 0; k < K; k++) {
        const v = post(t, k)
        if (Number.isFinite(v) && v > 0) { out[b * K + k]! += v; total += v }
      }
    }
    if (total > 0) for (let k = 0; k < K; k++) out[b * K + k]! /= total
  }
  return out
}

function legend(out: string[], K: number, y: number, W: number): void {
  out.push(`<g class="legend" font-size="12" fill="${INK}">`)
  let x = PAD
  for (let k = 0; k < K; k++) {
    const text = `state ${k + 1}`
    const w = 26 + textWidth(text, 12)
    if (x + w > W - PAD) {
      out.push(`<text x="${r2(x)}" y="${r2(y + 4)}" fill="${MUTED}">${esc(clip(`+ ${K - k} more`, W - PAD - x, 12))}</text>`)
      break
    }
    out.push(`<g class="legend-item" data-state="${k}"><rect x="${r2(x)}" y="${r2(y - 6)}" width="12" height="12" fill="${componentColor(k)}"/><text x="${r2(x + 17)}" y="${r2(y + 4)}">${esc(text)}</text></g>`)
    x += w + 6
  }
  out.push('</g>')
}

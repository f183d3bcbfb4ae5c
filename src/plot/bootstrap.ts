/**
 * Bootstrap distributions as small multiples: one histogram of the replicates per
 * parameter, the full-data estimate as a solid line and the percentile interval shaded
 * between dashed lines. Takes plain values; a `bootstrap(...)` result has them all
 * (names, estimate, replicates, lower, upper, level).
 */
import { InputError, OptionError } from '../core/errors.js'
import {
  INK, MUTED, PAD, axes, bars, chooseColumns, clip, close, count, esc, finiteRange, fitSize, formatNumber, header, histogram, linear, open,
  padRange, r2, sizeOption, textWidth, type Box,
} from './kit.js'

export interface BootstrapSvgInput {
  /** Name of each parameter (e.g. 'mean[1][0]'). */
  names: readonly string[]
  /** The full-data estimate of each parameter. */
  estimate: ArrayLike<number>
  /** One parameter vector per replicate. */
  replicates: readonly ArrayLike<number>[]
  /** The percentile interval of each parameter. */
  lower: ArrayLike<number>
  upper: ArrayLike<number>
  /** The interval's level, for the subtitle (default 0.95). */
  level?: number
  /** Draw these parameters only, in this order (0-based indices or names); default all, up to maxPanels. */
  select?: readonly (number | string)[] | null
  /** At most this many panels when select is not given (default 36). */
  maxPanels?: number
  /** Panels per row (default: by the width, 2 to 6). */
  perRow?: number
  title?: string
  subtitle?: string
  /** Pixel width (default 1000); the height follows. */
  width?: number
}

function checkInput(input: BootstrapSvgInput): number {
  const names = input?.names
  if (!Array.isArray(names) || names.length === 0) throw new InputError('EMPTY_DATA', 'bootstrapSvg: names must list the parameters (a bootstrap result has them).')
  const p = names.length
  for (const key of ['estimate', 'lower', 'upper'] as const) {
    const v = input[key]
    if (!v || v.length !== p) throw new InputError('SHAPE_MISMATCH', `bootstrapSvg: ${key} has ${v?.length ?? 'no'} values for ${p} parameters; give one per parameter.`)
  }
  const reps = input.replicates
  if (!Array.isArray(reps) || reps.length === 0) throw new InputError('EMPTY_DATA', 'bootstrapSvg: replicates is empty; give one parameter vector per replicate.')
  reps.forEach((r, b) => {
    if (!r || r.length !== p) throw new InputError('SHAPE_MISMATCH', `bootstrapSvg: replicate ${b} has ${r?.length ?? 0} values for ${p} parameters.`, { replicate: b })
  })
  const level = input.level
  if (level !== undefined && !(typeof level === 'number' && level > 0 && level < 1)) throw new OptionError('level', `bootstrapSvg: must be in (0, 1), got ${String(level)}.`)
  return p
}

/** Render the bootstrap distributions as an SVG document (a string). */
export function bootstrapSvg(input: BootstrapSvgInput): string {
  const p = checkInput(input)
  const { names, estimate, replicates, lower, upper } = input
  const level = input.level ?? 0.95
  const maxPanels = sizeOption('bootstrapSvg', 'maxPanels', input.maxPanels, 36, 1)
  const chosen = input.select === undefined || input.select === null
    ? Array.from({ length: Math.min(p, Math.floor(maxPanels)) }, (_, j) => j)
    : chooseColumns('bootstrapSvg', p, names, input.select)
  const W = sizeOption('bootstrapSvg', 'width', input.width, 1000, 240)
  const perRow = Math.floor(sizeOption('bootstrapSvg', 'perRow', input.perRow, Math.max(1, Math.min(6, Math.floor((W - 2 * PAD) / 200), Math.max(2, Math.ceil(Math.sqrt(chosen.length))))), 1))
  const cols = Math.min(perRow, chosen.length)
  const rowsN = Math.ceil(chosen.length / cols)
  const gapX = 22
  const cellW = (W - 2 * PAD - gapX * (cols - 1)) / cols
  const cellH = Math.max(120, Math.min(170, cellW * 0.72))

  const B = replicates.length
  const title = input.title ?? 'Bootstrap distributions'
  const more = chosen.length < p && (input.select === undefined || input.select === null) ? ` \u00b7 first ${chosen.length} of ${p} parameters` : ''
  const subtitle = input.subtitle ?? `${count(B, 'replicate')} \u00b7 ${Math.round(level * 1000) / 10}% percentile interval shaded${more}`
  const head = header(W, title, subtitle)
  const top = 100 + head.extra
  const H = top + rowsN * cellH + 30
  const out: string[] = []
  open(out, W, H, head)
  keyLine(out, 80 + head.extra, W)

  chosen.forEach((j, i) => {
    const c = i % cols
    const r = Math.floor(i / cols)
    const x0 = PAD + c * (cellW + gapX)
    const y0 = top + r * cellH
    const box: Box = { left: x0 + 4, top: y0 + 30, right: x0 + cellW - 4, bottom: y0 + cellH - 30 }
    panel(out, j, String(names[j]), replicates.map((v) => v[j]!), estimate[j]!, lower[j]!, upper[j]!, box)
  })
  return close(out)
}

function panel(out: string[], j: number, name: string, values: number[], est: number, lo: number, hi: number, box: Box): void {
  const finite = values.filter(Number.isFinite)
  const [a, b] = padRange(finiteRange([...finite, est, lo, hi]), 0.05)
  const bins = Math.max(8, Math.min(40, Math.round(Math.sqrt(finite.length) * 1.5)))
  const counts = histogram(finite, a, b, bins)
  const xs = linear(a, b, box.left, box.right)
  const ys = linear(0, Math.max(1, ...counts) * 1.12, box.bottom, box.top)
  out.push(`<g class="panel bootstrap-panel" data-parameter="${j}">`)
  const size = fitSize(name, box.right - box.left, 12, 9, true)
  out.push(`<text class="parameter" x="${r2(box.left)}" y="${r2(box.top - 16)}" font-size="${size}" font-weight="600" fill="${INK}">${esc(clip(name, box.right - box.left, size, true))}</text>`)
  const summary = `${formatNumber(est)}  [${formatNumber(lo)}, ${formatNumber(hi)}]`
  out.push(`<text class="interval-text" x="${r2(box.left)}" y="${r2(box.top - 3)}" font-size="11" fill="${MUTED}">${esc(clip(summary, box.right - box.left, 11))}</text>`)
  if (Number.isFinite(lo) && Number.isFinite(hi)) {
    out.push(`<rect class="interval" x="${r2(xs(lo))}" y="${r2(box.top)}" width="${r2(Math.max(0, xs(hi) - xs(lo)))}" height="${r2(box.bottom - box.top)}" fill="#4e79a7" fill-opacity="0.12"/>`)
  }
  bars(out, counts, a, b, xs, ys, 'fill="#8fa9c6" stroke="#ffffff" stroke-width="0.5"')
  axes(out, box, xs, ys, { yLabels: false, xCount: Math.max(2, Math.min(5, Math.floor((box.right - box.left) / 60))), grid: false })
  for (const [v, dash] of [[lo, '4 3'], [hi, '4 3']] as const) {
    if (Number.isFinite(v)) out.push(`<line class="bound" x1="${r2(xs(v))}" y1="${r2(box.top)}" x2="${r2(xs(v))}" y2="${r2(box.bottom)}" stroke="#2f5d8a" stroke-width="1.2" stroke-dasharray="${dash}"/>`)
  }
  if (Number.isFinite(est)) out.push(`<line class="estimate" x1="${r2(xs(est))}" y1="${r2(box.top)}" x2="${r2(xs(est))}" y2="${r2(box.bottom)}" stroke="#c0392b" stroke-width="2"/>`)
  if (finite.length < values.length) {
    out.push(`<text x="${r2(box.right - 3)}" y="${r2(box.top + 12)}" text-anchor="end" font-size="10" fill="${MUTED}">${values.length - finite.length} not finite</text>`)
  }
  out.push('</g>')
}

/** The key to the marks, once under the subtitle. */
function keyLine(out: string[], y: number, W: number): void {
  const items: [string, string][] = [
    [`<line x1="0" y1="0" x2="18" y2="0" stroke="#c0392b" stroke-width="2"/>`, 'full-data estimate'],
    [`<line x1="0" y1="0" x2="18" y2="0" stroke="#2f5d8a" stroke-width="1.2" stroke-dasharray="4 3"/>`, 'interval bounds'],
    [`<rect x="0" y="-5" width="18" height="10" fill="#8fa9c6"/>`, 'replicates'],
  ]
  out.push(`<g class="legend" font-size="11" fill="${MUTED}">`)
  let x = PAD
  for (const [mark, text] of items) {
    if (x + 24 + textWidth(text, 11) > W - PAD) break
    out.push(`<g transform="translate(${r2(x)} ${y})">${mark}<text x="24" y="4">${esc(text)}</text></g>`)
    x += 24 + textWidth(text, 11) + 18
  }
  out.push('</g>')
}

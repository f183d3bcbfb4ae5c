/** Numbers as labels: significant digits, thousands separators, nice tick values, distinct tick labels. */
import { minus } from './text.js'

/** A number with about `sig` significant digits, without exponent for everyday magnitudes. */
export function formatNumber(v: number, sig = 4): string {
  if (!Number.isFinite(v)) return String(v)
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1e6 || a < 1e-4) return minus(v.toExponential(Math.max(0, sig - 1)).replace(/\.?0+e/, 'e').replace('e+', 'e'))
  const decimals = Math.max(0, sig - 1 - Math.floor(Math.log10(a)))
  let s = v.toFixed(Math.min(decimals, 10))
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return minus(s)
}

/** `v` with `decimals` decimals and thousands separators (readable up to about 1e12). */
export function grouped(v: number, decimals: number): string {
  const s = v.toFixed(Math.max(0, Math.min(decimals, 20)))
  const [int, dec] = s.split('.')
  const g = Math.abs(v) >= 10000 ? int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int!
  return minus(dec !== undefined ? `${g}.${dec}` : g)
}

/** "Nice" tick values (1, 2, 2.5, 5 x 10^e) covering [lo, hi] with about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 6): { ticks: number[]; step: number } {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1
    lo -= pad
    hi += pad
  }
  const raw = (hi - lo) / Math.max(1, count)
  const e = Math.floor(Math.log10(raw))
  const base = 10 ** e
  const f = raw / base
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
  const step = m * base
  const first = Math.ceil(lo / step - 1e-9)
  const last = Math.floor(hi / step + 1e-9)
  const ticks: number[] = []
  // Count by an integer offset (first may be too large for i++ to move it), at most 100 ticks.
  const count2 = Math.min(100, last - first)
  for (let t = 0; t <= count2; t++) ticks.push(Number(((first + t) * step).toPrecision(12)))
  return { ticks, step }
}

/** The smallest of 1, 2, 5, 10, 20, 50, ... that is >= step. */
export function integerStep(step: number): number {
  if (!(step > 0 && step < 1e15)) return 1
  for (let base = 1; ; base *= 10) {
    for (const m of [1, 2, 5]) if (m * base >= step - 1e-9) return m * base
  }
}

function decimalsFor(step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  const frac = step * 10 ** decimals
  return decimals + (Math.abs(frac - Math.round(frac)) > 1e-6 ? 1 : 0) // 2.5 steps
}

export interface TickText {
  labels: string[]
  /** Subtract-this value when the labels are offsets from it (0 when they are plain). */
  offset: number
  /** How to show the offset next to the axis, or '' when there is none. */
  offsetText: string
}

/**
 * Labels for ticks spaced `step` apart, every one distinct. When the ticks need more
 * than 6 significant digits (a flat log-likelihood trace at -2,345,678.9), they are
 * written as offsets from the first tick, which is shown once, as matplotlib does.
 */
export function tickTexts(ticks: readonly number[], step: number): TickText {
  const mag = Math.max(0, ...ticks.map((t) => Math.abs(t)))
  const digits = mag > 0 && step > 0 ? Math.floor(Math.log10(mag)) - Math.floor(Math.log10(step) + 1e-9) + 1 : 1
  if (digits > 6 && ticks.length > 1) {
    const offset = ticks[0]!
    const labels = ticks.map((t, i) => (i === 0 ? '0' : `+${plainLabels([t - offset], step)[0]}`))
    return { labels, offset, offsetText: `offset ${grouped(offset, decimalsFor(step))}` }
  }
  return { labels: plainLabels(ticks, step), offset: 0, offsetText: '' }
}

function plainLabels(ticks: readonly number[], step: number): string[] {
  const a = Math.max(Math.abs(step), ...ticks.map((t) => Math.abs(t)))
  if (a >= 1e9 || a < 1e-3) {
    for (let sig = 2; sig <= 15; sig++) {
      const labels = ticks.map((t) => (t === 0 ? '0' : formatNumber(t, sig)))
      if (new Set(labels).size === labels.length) return labels
    }
  }
  for (let decimals = decimalsFor(step); ; decimals++) {
    const labels = ticks.map((t) => grouped(t, decimals))
    if (new Set(labels).size === labels.length || decimals >= 20) return labels
  }
}

/** What plots draw on their axes: histograms, covariance ellipses, mean markers, marker shapes, point clouds. */
import { logNormalPdf } from '../core/math/normal.js'
import type { Scale } from './axes.js'
import { INK, UNLABELLED, componentColor } from './style.js'
import { r2 } from './text.js'

/** Counts of the finite values in `bins` equal bins over [lo, hi] (the top edge included). */
export function histogram(values: Iterable<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0)
  const w = (hi - lo) / bins || 1
  for (const v of values) {
    if (!Number.isFinite(v) || v < lo || v > hi) continue
    counts[Math.min(bins - 1, Math.floor((v - lo) / w))]!++
  }
  return counts
}

/** Bars of a histogram (counts over equal bins from `lo` to `hi`) scaled to the panel. */
export function bars(out: string[], counts: readonly number[], lo: number, hi: number, xs: Scale, ys: Scale, attrs: string): void {
  const w = (hi - lo) / counts.length
  out.push(`<g class="histogram" ${attrs}>`)
  counts.forEach((c, b) => {
    const xa = xs(lo + b * w)
    const xb = xs(lo + (b + 1) * w)
    const yt = ys(c)
    const y0 = ys(0)
    out.push(`<rect x="${r2(xa)}" y="${r2(yt)}" width="${r2(Math.max(0, xb - xa))}" height="${r2(Math.max(0, y0 - yt))}"/>`)
  })
  out.push('</g>')
}

/** Evenly spaced indices, at most `max` of `n` (all of them when n <= max). */
export function evenSubset(n: number, max: number): number[] {
  const m = Math.max(1, Math.floor(max))
  const stride = n > m ? n / m : 1
  const shown: number[] = []
  for (let t = 0; t < n / stride; t++) shown.push(Math.floor(t * stride))
  return shown
}

/** Symmetric 2x2 eigen-decomposition: [l1 >= l2], angle of the l1 eigenvector (radians). */
export function eig2(a: number, b: number, c: number): { l1: number; l2: number; angle: number } {
  const mid = (a + c) / 2
  const rad = Math.hypot((a - c) / 2, b)
  return { l1: mid + rad, l2: mid - rad, angle: 0.5 * Math.atan2(2 * b, a - c) }
}

/**
 * The s-sigma ellipse of a 2x2 covariance block [[a, b], [b, c]] about (mx, my): the
 * block is mapped into pixel space (each scale's slope) and eigen-decomposed there, so
 * the SVG ellipse is exact whatever the aspect ratio.
 */
export function ellipseGeometry(mx: number, my: number, a: number, b: number, c: number, xs: Scale, ys: Scale, s: number): { cx: number; cy: number; rx: number; ry: number; deg: number } {
  const e = eig2(a * xs.k * xs.k, b * xs.k * ys.k, c * ys.k * ys.k)
  return {
    cx: xs(mx), cy: ys(my),
    rx: s * Math.sqrt(Math.max(0, e.l1)), ry: s * Math.sqrt(Math.max(0, e.l2)),
    deg: (e.angle * 180) / Math.PI,
  }
}

/**
 * A component's 1- and 2-sigma ellipses, each over a white halo so that it stays
 * visible on top of dense points of any colour.
 */
export function ellipses(out: string[], k: number, mx: number, my: number, a: number, b: number, c: number, xs: Scale, ys: Scale, color: string, scale = 1): void {
  out.push(`<g class="component" data-component="${k}">`)
  for (const s of [2, 1]) {
    const g = ellipseGeometry(mx, my, a, b, c, xs, ys, s)
    if (!(Number.isFinite(g.rx) && Number.isFinite(g.ry) && Number.isFinite(g.cx) && Number.isFinite(g.cy))) continue
    const geo = `cx="${r2(g.cx)}" cy="${r2(g.cy)}" rx="${r2(g.rx)}" ry="${r2(g.ry)}" transform="rotate(${r2(g.deg)} ${r2(g.cx)} ${r2(g.cy)})"`
    const w = (s === 1 ? 2.2 : 1.4) * scale
    // The halo is a path (two half-ellipse arcs), so that <ellipse> elements are exactly the 2K component ellipses.
    const arc = `A${r2(g.rx)} ${r2(g.ry)} 0 1 0`
    out.push(`<path class="halo" d="M${r2(g.cx - g.rx)} ${r2(g.cy)}${arc} ${r2(g.cx + g.rx)} ${r2(g.cy)}${arc} ${r2(g.cx - g.rx)} ${r2(g.cy)}Z" transform="rotate(${r2(g.deg)} ${r2(g.cx)} ${r2(g.cy)})" fill="none" stroke="#ffffff" stroke-opacity="0.85" stroke-width="${r2(w + 2.4 * scale)}"/>`)
    const style = s === 1 ? `fill="${color}" fill-opacity="0.08"` : `fill="none" stroke-dasharray="${r2(6 * scale)} ${r2(4 * scale)}"`
    out.push(`<ellipse class="ellipse sigma-${s}" data-component="${k}" data-sigma="${s}" ${geo} stroke="${color}" stroke-width="${r2(w)}" ${style}/>`)
  }
  out.push('</g>')
}

/** A numbered disc marking component k's mean. */
export function meanMarker(out: string[], k: number, cx: number, cy: number, radius = 10, color = componentColor(k)): void {
  const fs = Math.round(radius * 1.1)
  out.push(`<g class="mean" data-component="${k}">`)
  out.push(`<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(radius)}" fill="${color}" stroke="#ffffff" stroke-width="${r2(radius / 4)}"/>`)
  out.push(`<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(radius * 1.15)}" fill="none" stroke="${INK}" stroke-opacity="0.35" stroke-width="1"/>`)
  out.push(`<text x="${r2(cx)}" y="${r2(cy + fs * 0.36)}" text-anchor="middle" font-size="${fs}" font-weight="700" fill="#ffffff">${k + 1}</text>`)
  out.push('</g>')
}

export type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'plus' | 'cross' | 'star'
export const SHAPES: readonly Shape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross', 'plus', 'star']

/** A marker of the given shape centred on (x, y), about `size` px across. */
export function marker(shape: Shape, x: number, y: number, size: number, attrs: string): string {
  const h = size / 2
  const pts = (p: [number, number][]) => `<path d="M${p.map(([a, b]) => `${r2(x + a)} ${r2(y + b)}`).join('L')}Z" ${attrs}/>`
  switch (shape) {
    case 'circle': return `<circle cx="${r2(x)}" cy="${r2(y)}" r="${r2(h)}" ${attrs}/>`
    case 'square': return pts([[-h * 0.9, -h * 0.9], [h * 0.9, -h * 0.9], [h * 0.9, h * 0.9], [-h * 0.9, h * 0.9]])
    case 'triangle': return pts([[0, -h * 1.15], [h * 1.05, h * 0.75], [-h * 1.05, h * 0.75]])
    case 'triangle-down': return pts([[0, h * 1.15], [h * 1.05, -h * 0.75], [-h * 1.05, -h * 0.75]])
    case 'diamond': return pts([[0, -h * 1.2], [h * 1.05, 0], [0, h * 1.2], [-h * 1.05, 0]])
    case 'plus': {
      const t = h * 0.35
      return pts([[-t, -h], [t, -h], [t, -t], [h, -t], [h, t], [t, t], [t, h], [-t, h], [-t, t], [-h, t], [-h, -t], [-t, -t]])
    }
    case 'cross': {
      const t = h * 0.3
      const p: [number, number][] = [[0, -t], [h - t, -h], [h, -h + t], [t, 0], [h, h - t], [h - t, h], [0, t], [-h + t, h], [-h, h - t], [-t, 0], [-h, -h + t], [-h + t, -h]]
      return pts(p.map(([a, b]) => [a * 0.85, b * 0.85]))
    }
    case 'star': {
      const p: [number, number][] = []
      for (let i = 0; i < 10; i++) {
        const r = i % 2 === 0 ? h * 1.2 : h * 0.5
        const a = -Math.PI / 2 + (i * Math.PI) / 5
        p.push([r * Math.cos(a), r * Math.sin(a)])
      }
      return pts(p)
    }
  }
}

/**
 * The shown points of columns (a, b), one group per label so each carries its colour
 * once; translucent and without outlines, so dense clouds read as density and leave the
 * ellipses drawn over them visible.
 */
export function pointGroups(out: string[], points: ArrayLike<ArrayLike<number>>, labels: ArrayLike<number> | null, shown: readonly number[], xs: (v: number) => number, ys: (v: number) => number, a: number, b: number, radius: number, colorOf: (label: number) => string = componentColor): void {
  const groups = new Map<number, number[]>()
  for (const i of shown) {
    const lab = labels ? Number(labels[i]) : -1
    const key = Number.isInteger(lab) && lab >= 0 ? lab : -1
    let g = groups.get(key)
    if (!g) groups.set(key, (g = []))
    g.push(i)
  }
  const opacity = shown.length > 2000 ? 0.4 : shown.length > 500 ? 0.5 : 0.6
  for (const [key, idx] of [...groups.entries()].sort((p, q) => p[0] - q[0])) {
    const color = key < 0 ? UNLABELLED : colorOf(key)
    out.push(`<g class="points" data-component="${key < 0 ? 'none' : key}" fill="${color}" fill-opacity="${opacity}">`)
    for (const i of idx) {
      const x = xs(points[i]![a]!)
      const y = ys(points[i]![b]!)
      if (Number.isFinite(x) && Number.isFinite(y)) out.push(`<circle cx="${r2(x)}" cy="${r2(y)}" r="${radius}"/>`)
    }
    out.push('</g>')
  }
}

/** The density of N(mu, v) at x: core's standard normal, rescaled. */
export function normalPdf(x: number, mu: number, v: number): number {
  const sd = Math.sqrt(v)
  return Math.exp(logNormalPdf((x - mu) / sd)) / sd
}

/** Colours, font and margins shared by every plot. */

/** Tableau 10: distinct, colour-blind tolerant, readable on white. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
export const INK = '#222'
export const MUTED = '#666'
export const GRID = '#ebebeb'
export const AXIS = '#9a9a9a'
/** Points with no label. */
export const UNLABELLED = '#8a8a8a'

export function componentColor(k: number): string {
  if (k < PALETTE.length) return PALETTE[k]!
  const hue = Math.round((k * 137.508) % 360)
  return `hsl(${hue}, 55%, 48%)`
}

/** Left and right margin of the title block. */
export const PAD = 24

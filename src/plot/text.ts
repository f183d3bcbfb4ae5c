/**
 * Text for SVG: escaping, coordinates, and estimated widths (to fit, clip and wrap
 * labels without a DOM to measure them).
 */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** Round a coordinate for output. */
export function r2(v: number): string {
  const x = Math.round(v * 100) / 100
  return Object.is(x, -0) ? '0' : String(x)
}

/** A typographic minus for negative numbers. */
export function minus(s: string): string {
  return s.startsWith('-') ? `\u2212${s.slice(1)}` : s
}

// Advance widths in em of DejaVu Sans (the widest of the fonts in FONT, so text
// measured here never runs past what the layout reserved for it).
const LOWER = [0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525]
const UPPER = [0.684, 0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685]
const OTHER: Record<string, number> = {
  ' ': 0.318, '.': 0.318, ',': 0.318, ':': 0.337, ';': 0.337, '(': 0.39, ')': 0.39, '[': 0.39, ']': 0.39, '-': 0.361, '_': 0.5,
  '+': 0.838, '\u2212': 0.838, '=': 0.838, '<': 0.838, '>': 0.838, '\u00d7': 0.838, '%': 0.95, '/': 0.337, '\u00b7': 0.318,
  '\u2026': 1, '\u03c3': 0.634, "'": 0.275, '"': 0.46, '\u2019': 0.318, '!': 0.4, '?': 0.531, '&': 0.78, '#': 0.838, '*': 0.5,
}
function charEm(c: string): number {
  const code = c.charCodeAt(0)
  if (code >= 97 && code <= 122) return LOWER[code - 97]!
  if (code >= 65 && code <= 90) return UPPER[code - 65]!
  if (code >= 48 && code <= 57) return 0.636
  return OTHER[c] ?? 0.7
}

/** Estimated width in pixels of `s` at `size` px (bold about 8% wider). */
export function textWidth(s: string, size: number, bold = false): number {
  let em = 0
  for (const c of s) em += charEm(c)
  return em * size * (bold ? 1.08 : 1)
}

/** `s` cut to fit `width` px at `size`, with an ellipsis when cut. */
export function clip(s: string, width: number, size: number, bold = false): string {
  if (textWidth(s, size, bold) <= width) return s
  const chars = [...s]
  while (chars.length > 0 && textWidth(chars.join('') + '\u2026', size, bold) > width) chars.pop()
  return chars.join('') + '\u2026'
}

/** The largest font size from `size` down to `min` at which `s` fits in `width`. */
export function fitSize(s: string, width: number, size: number, min: number, bold = false): number {
  let f = size
  while (f > min && textWidth(s, f, bold) > width) f -= 0.5
  return f
}

/**
 * Lines of at most `width` px: broken at " · " separators first, then at spaces; a
 * word longer than a line is clipped.
 */
export function wrap(s: string, width: number, size: number): string[] {
  const lines: string[] = []
  for (const part of s.split(' \u00b7 ')) {
    const last = lines.length > 0 ? lines[lines.length - 1]! : null
    if (last !== null && textWidth(`${last} \u00b7 ${part}`, size) <= width) {
      lines[lines.length - 1] = `${last} \u00b7 ${part}`
      continue
    }
    let line = ''
    for (const word of part.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`
      if (textWidth(next, size) <= width || line === '') line = next
      else { lines.push(line); line = word }
    }
    lines.push(line)
  }
  return lines.map((l) => clip(l, width, size))
}

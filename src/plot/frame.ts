/** The document around a plot: the svg element, title and subtitle, clipped viewports, the end. */
import type { Box } from './axes.js'
import { FONT, INK, MUTED, PAD } from './style.js'
import { clip, esc, fitSize, r2, textWidth, wrap } from './text.js'

export interface Header {
  /** The title as given (the document's <title>). */
  full: string
  /** The title as drawn: one line, or two at a narrow width. */
  title: string[]
  titleSize: number
  /** The subtitle in at most two lines. */
  subtitle: string[]
  /** How far below the one-line layout the content starts. */
  extra: number
}

/** The title fitted to the width (two lines when it cannot fit one at 15 px), the subtitle wrapped to at most two lines. */
export function header(W: number, title: string, subtitle: string): Header {
  const room = W - 2 * PAD
  const two = (lines: string[], size: number, bold: boolean) =>
    lines.length > 2 ? [lines[0]!, clip(lines.slice(1).join(' '), room, size, bold)] : lines
  let titleSize = fitSize(title, room, 20, 15, true)
  let titleLines = [title]
  if (textWidth(title, titleSize, true) > room) {
    titleSize = 16
    titleLines = two(wrap(title, room / 1.08, titleSize), titleSize, true)
  }
  const sub = subtitle ? two(wrap(subtitle, room, 13), 13, false) : []
  return { full: title, title: titleLines, titleSize, subtitle: sub, extra: (titleLines.length - 1) * 20 + Math.max(0, sub.length - 1) * 16 }
}

/** The opening of a plot: the svg element, its title, a white ground, the title and subtitle. */
export function open(out: string[], W: number, H: number, head: Header): void {
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${r2(W)}" height="${r2(H)}" viewBox="0 0 ${r2(W)} ${r2(H)}" font-family="${esc(FONT)}" role="img">`)
  out.push(`<title>${esc(head.full)}</title>`)
  out.push(`<rect width="${r2(W)}" height="${r2(H)}" fill="#ffffff"/>`)
  head.title.forEach((line, i) => out.push(`<text class="title" x="${PAD}" y="${34 + 20 * i}" font-size="${head.titleSize}" font-weight="600" fill="${INK}">${esc(line)}</text>`))
  const below = 20 * (head.title.length - 1)
  head.subtitle.forEach((line, i) => out.push(`<text class="subtitle" x="${PAD}" y="${56 + below + 16 * i}" font-size="13" fill="${MUTED}">${esc(line)}</text>`))
}

/**
 * A nested svg viewport over `box` in the outer coordinates: what is drawn inside is
 * clipped to the box without a clipPath id (ids would clash between several plots
 * inlined in one HTML page).
 */
export function clipOpen(out: string[], box: Box): void {
  const w = r2(box.right - box.left)
  const h = r2(box.bottom - box.top)
  out.push(`<svg class="clip" x="${r2(box.left)}" y="${r2(box.top)}" width="${w}" height="${h}" viewBox="${r2(box.left)} ${r2(box.top)} ${w} ${h}" overflow="hidden">`)
}

export function clipClose(out: string[]): void {
  out.push('</svg>')
}

/** The lines in `out` as text, each followed by a newline, and `out` emptied: a plot's text, or the next piece of a plot made in pieces. */
export function takeText(out: string[]): string {
  const text = out.join('\n') + '\n'
  out.length = 0
  return text
}

/** The end of a plot: the closing tag, then the text of the lines (takeText). */
export function close(out: string[]): string {
  out.push('</svg>')
  return takeText(out)
}

/** One of n things, singular or plural: "1 column", "3 columns". */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
}

/**
 * What the plot tests need of an SVG: a strict parse (well-formed or it throws), queries
 * by element and class, and one check every plot must pass (no NaN or Infinity in any
 * attribute, every text inside the viewBox by an estimate of its width).
 */
import { textWidth } from '../../src/plot/kit.js'

export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

/**
 * A strict little XML parser: enough to prove the SVG is well-formed (one root, every
 * element closed in order, quoted attributes without duplicates, no raw '<' or stray
 * '&' in text or attribute values) and to query what it draws.
 */
export function parseXml(src: string): XmlElement {
  const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g
  const checkChars = (s: string, where: string) => {
    const stripped = s.replace(ENTITY, '')
    if (/[<&]/.test(stripped)) throw new Error(`raw '<' or '&' in ${where}: ${s.slice(0, 60)}`)
  }
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' }
  const stack: XmlElement[] = [root]
  let i = 0
  src = src.replace(/^<\?xml[^?]*\?>\s*/, '')
  while (i < src.length) {
    const lt = src.indexOf('<', i)
    const text = lt < 0 ? src.slice(i) : src.slice(i, lt)
    if (text.trim() !== '') {
      if (stack.length === 1) throw new Error(`text outside the root element: ${text.slice(0, 40)}`)
      checkChars(text, 'text')
      stack[stack.length - 1]!.text += text
    }
    if (lt < 0) break
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt)
      if (end < 0) throw new Error('unclosed comment')
      i = end + 3
      continue
    }
    const gt = src.indexOf('>', lt)
    if (gt < 0) throw new Error('unclosed tag')
    const tag = src.slice(lt + 1, gt)
    i = gt + 1
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim()
      const open = stack.pop()!
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`)
      continue
    }
    const selfClosing = tag.endsWith('/')
    const body = selfClosing ? tag.slice(0, -1) : tag
    const m = /^([A-Za-z_][\w:.-]*)/.exec(body)
    if (!m) throw new Error(`bad tag <${tag.slice(0, 40)}>`)
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' }
    let rest = body.slice(m[1]!.length)
    const ATTR = /^\s+([A-Za-z_][\w:.-]*)\s*=\s*"([^"]*)"/
    for (;;) {
      const a = ATTR.exec(rest)
      if (!a) break
      if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]} on <${el.name}>`)
      checkChars(a[2]!, `attribute ${a[1]}`)
      el.attrs[a[1]!] = a[2]!
      rest = rest.slice(a[0].length)
    }
    if (rest.trim() !== '') throw new Error(`bad attributes on <${el.name}>: ${rest.slice(0, 40)}`)
    if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element')
    stack[stack.length - 1]!.children.push(el)
    if (!selfClosing) stack.push(el)
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`)
  if (root.children.length !== 1) throw new Error('no root element')
  return root.children[0]!
}

export function all(el: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []): XmlElement[] {
  if (pred(el)) out.push(el)
  for (const c of el.children) all(c, pred, out)
  return out
}
export const byName = (el: XmlElement, name: string) => all(el, (e) => e.name === name)
export const byClass = (el: XmlElement, cls: string) => all(el, (e) => (e.attrs.class ?? '').split(/\s+/).includes(cls))
export const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
export const textOf = (el: XmlElement): string => unescape(el.text) + el.children.map(textOf).join('')


/** The font size in effect for an element: its own, or its nearest ancestor's (default 16). */
function fontSize(path: readonly XmlElement[]): number {
  for (let i = path.length - 1; i >= 0; i--) {
    const f = path[i]!.attrs['font-size']
    if (f !== undefined) return Number(f)
  }
  return 16
}

/** Every text with its estimated box (x0, y0, x1, y1) in the outer coordinates. */
export function textBoxes(root: XmlElement): { text: string; box: [number, number, number, number]; el: XmlElement }[] {
  const out: { text: string; box: [number, number, number, number]; el: XmlElement }[] = []
  const walk = (el: XmlElement, path: XmlElement[], tx: number, ty: number) => {
    // A translate on a group moves its content (the bootstrap key uses one).
    const m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(el.attrs.transform ?? '')
    if (m && el.name !== 'text') { tx += Number(m[1]); ty += Number(m[2]) }
    if (el.name === 'text') {
      const s = textOf(el)
      const fs = fontSize([...path, el])
      const bold = (el.attrs['font-weight'] ?? '') === '600' || (el.attrs['font-weight'] ?? '') === '700'
      const w = textWidth(s, fs, bold)
      const x = Number(el.attrs.x ?? 0) + tx
      const y = Number(el.attrs.y ?? 0) + ty
      const anchor = el.attrs['text-anchor'] ?? 'start'
      const x0 = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x
      let box: [number, number, number, number] = [x0, y - fs * 0.8, x0 + w, y + fs * 0.25]
      if (/rotate\(-90/.test(el.attrs.transform ?? '')) {
        // rotated about (x, y): the width runs vertically, centred on y
        box = [x - fs * 0.8, y - w / 2, x + fs * 0.25, y + w / 2]
      }
      out.push({ text: s, box, el })
      return
    }
    for (const c of el.children) walk(c, [...path, el], tx, ty)
  }
  walk(root, [], 0, 0)
  return out
}

const NUMERIC = ['x', 'y', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height', 'x1', 'y1', 'x2', 'y2', 'points', 'd', 'transform', 'viewBox', 'font-size', 'stroke-width']

/**
 * The checks every plot passes: well-formed, an svg root with a viewBox, no NaN or
 * Infinity in a coordinate, every text inside the viewBox (by estimated width).
 * Returns the parsed root and its size.
 */
export function checkSvg(svg: string): { doc: XmlElement; W: number; H: number } {
  const doc = parseXml(svg)
  if (doc.name !== 'svg' || doc.attrs.xmlns !== 'http://www.w3.org/2000/svg') throw new Error('the root is not an svg element')
  const [, , W, H] = (doc.attrs.viewBox ?? '').split(/\s+/).map(Number)
  if (!(W! > 0 && H! > 0)) throw new Error(`bad viewBox ${doc.attrs.viewBox}`)
  all(doc, () => true).forEach((el) => {
    for (const a of NUMERIC) {
      const v = el.attrs[a]
      if (v !== undefined && /NaN|Infinity|undefined/.test(v)) throw new Error(`<${el.name} ${a}="${v}">`)
    }
  })
  for (const { text, box } of textBoxes(doc)) {
    if (text.trim() === '') continue
    if (box[0] < -0.5 || box[2] > W! + 0.5 || box[1] < -0.5 || box[3] > H! + 0.5) {
      throw new Error(`text ${JSON.stringify(text)} at [${box.map((v) => v.toFixed(1)).join(', ')}] runs outside the ${W} x ${H} viewBox`)
    }
  }
  // Tick labels of one axis are distinct (a flat trace once repeated "−2.35e+6").
  for (const g of all(doc, (e) => /\b[xy]-ticks\b/.test(e.attrs.class ?? ''))) {
    const labels = g.children.filter((c) => c.name === 'text' && !textOf(c).startsWith('offset')).map(textOf)
    if (new Set(labels).size !== labels.length) throw new Error(`repeated tick labels: ${labels.join(', ')}`)
  }
  return { doc, W: W!, H: H! }
}

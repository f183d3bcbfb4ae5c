/**
 * A tiny base64 decoder with no Node built-ins (Buffer) and no atob, so the inlined
 * wasm binaries load the same way in Node, browsers and edge runtimes.
 */

const INVALID = 255
const TABLE = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128).fill(INVALID)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i
  t['-'.charCodeAt(0)] = 62 // base64url
  t['_'.charCodeAt(0)] = 63
  return t
})()

/** Decode standard or URL-safe base64 (padding optional, no whitespace). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--
  if (end % 4 === 1) throw new SyntaxError('base64: invalid length')
  const out = new Uint8Array((end * 3) >> 2)
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i)
    const v = code < 128 ? TABLE[code]! : INVALID
    if (v === INVALID) throw new SyntaxError(`base64: invalid character at ${i}`)
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >>> bits) & 0xff
    }
  }
  return out
}

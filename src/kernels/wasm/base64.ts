/**
 * Base64 to bytes for the inlined wasm binaries without importing any Node built-in
 * (the core runs in browsers and edge runtimes too): a runtime's native decoder when
 * it has one (Node's global Buffer; `Uint8Array.fromBase64` where it exists), else a
 * tiny JS decoder.
 * Native matters for cold start: the JS loop runs unoptimised on first use and took
 * ~6 ms for the two builds in Node, Node's native decoder well under 1 ms.
 */

const INVALID = 255
let table: Uint8Array | undefined

function decodeTable(): Uint8Array {
  const t = new Uint8Array(128).fill(INVALID)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i
  t['-'.charCodeAt(0)] = 62 // base64url
  t['_'.charCodeAt(0)] = 63
  return t
}

/** Decode standard or URL-safe base64 (padding optional, no whitespace); throws SyntaxError on anything else. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const TABLE = (table ??= decodeTable())
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

interface NativeBuffer { from(text: string, encoding: 'base64'): Uint8Array }
interface NativeFromBase64 { fromBase64?(text: string, options?: { alphabet?: string }): Uint8Array<ArrayBuffer> }

/**
 * Decode base64 that emkit generated itself (the inlined builds), natively where the
 * runtime can. The native decoders do not reject bad characters, so this is only for
 * trusted strings; `decodeBase64` checks every character.
 */
export function decodeTrustedBase64(text: string): Uint8Array<ArrayBuffer> {
  const native = (globalThis as { Buffer?: NativeBuffer }).Buffer
  if (typeof native?.from === 'function') {
    // a fresh Uint8Array over its own ArrayBuffer (Node's result may be a view into a shared pool)
    const view = native.from(text, 'base64')
    const out = new Uint8Array(view.length)
    out.set(view)
    return out
  }
  const typed = Uint8Array as NativeFromBase64
  if (typeof typed.fromBase64 === 'function') return typed.fromBase64(text)
  return decodeBase64(text)
}

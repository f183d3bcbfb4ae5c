/** The inlined builds decode to the same bytes through Node's native decoder and the checked JS decoder (what browsers without one use). */
import { describe, expect, it } from 'vitest'
import { scalarWasmBase64, simdWasmBase64 } from '../../build/wasm-inline.js'
import { decodeBase64, decodeTrustedBase64 } from '../../src/kernels/wasm/base64.js'

describe('decodeTrustedBase64', () => {
  it('gives the checked decoder\'s bytes, in a Uint8Array of its own', () => {
    for (const text of [simdWasmBase64, scalarWasmBase64, 'AQID', '']) {
      const fast = decodeTrustedBase64(text)
      expect(fast).toEqual(decodeBase64(text))
      expect(fast.constructor).toBe(Uint8Array)
      expect(fast.byteOffset).toBe(0)
      expect(fast.buffer.byteLength).toBe(fast.length)
    }
  })

  it('falls back to the JS decoder where the runtime has no native one', () => {
    const g = globalThis as { Buffer?: unknown }
    const saved = g.Buffer
    const savedFrom = (Uint8Array as { fromBase64?: unknown }).fromBase64
    try {
      delete g.Buffer
      delete (Uint8Array as { fromBase64?: unknown }).fromBase64
      expect(decodeTrustedBase64(scalarWasmBase64)).toEqual(decodeBase64(scalarWasmBase64))
    } finally {
      g.Buffer = saved
      if (savedFrom) (Uint8Array as { fromBase64?: unknown }).fromBase64 = savedFrom
    }
  })

  it('uses Uint8Array.fromBase64 where the runtime has it and no Buffer (browsers)', () => {
    const g = globalThis as { Buffer?: unknown }
    const typed = Uint8Array as { fromBase64?: unknown }
    const saved = g.Buffer
    const savedFrom = typed.fromBase64
    let calls = 0
    try {
      delete g.Buffer
      // a stand-in with the standard's signature (Node 20 has none): counts calls, decodes with the checked decoder
      typed.fromBase64 = (text: string) => { calls++; return decodeBase64(text) }
      expect(decodeTrustedBase64('AQID')).toEqual(new Uint8Array([1, 2, 3]))
      expect(calls).toBe(1)
    } finally {
      g.Buffer = saved
      if (savedFrom) typed.fromBase64 = savedFrom
      else delete typed.fromBase64
    }
  })
})

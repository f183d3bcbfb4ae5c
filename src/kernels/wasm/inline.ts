/**
 * The wasm builds inlined as base64 (build/wasm-inline.ts): ~91 kB of a bundle, so
 * only Node's entry imports this statically; the other entries reach it through a
 * dynamic import, when nothing else provides the builds.
 */
import { scalarWasmBase64, simdWasmBase64 } from '../../../build/wasm-inline.js'
import { decodeTrustedBase64 } from './base64.js'
import type { WasmSource } from './source.js'

export const inlineWasm: WasmSource = {
  bytes: (name) => decodeTrustedBase64(name === 'wasm' ? simdWasmBase64 : scalarWasmBase64),
}

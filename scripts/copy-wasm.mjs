#!/usr/bin/env node
// After tsc: write dist/build/emkit.{simd,scalar}.wasm, next to the compiled
// wasm-inline.js, where the edge entry (dist/src/edge.js) imports them as modules.
// The bytes come from that compiled wasm-inline.js itself, so the .wasm files ship
// exactly the builds the inlined (browser, Node) loaders use.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist', 'build')
const inline = await import(pathToFileURL(join(out, 'wasm-inline.js')).href)
mkdirSync(out, { recursive: true })
for (const [name, base64] of [['emkit.simd.wasm', inline.simdWasmBase64], ['emkit.scalar.wasm', inline.scalarWasmBase64]]) {
  const bytes = Buffer.from(base64, 'base64')
  if (!WebAssembly.validate(bytes) && name.includes('scalar')) throw new Error(`copy-wasm: ${name} does not validate`)
  writeFileSync(join(out, `${name}.tmp`), bytes)
  renameSync(join(out, `${name}.tmp`), join(out, name))
}

#!/usr/bin/env node
// After tsc: bundle the Node entry and the pool's worker entry into one ES module each,
// dist/emkit.node.js and dist/emkit.worker.js (rolldown; piscina and node: built-ins stay
// external). Node 20 spends ~1.5 ms per module file at import; the ~60 files of the
// graph cost ~90 ms cold, one file ~20 ms. dist/src/ stays as it is (types, the browser
// and edge entries, deep imports).
import { rolldown } from 'rolldown'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const external = ['piscina', /^node:/]
for (const [input, file] of [['dist/src/node.js', 'dist/emkit.node.js'], ['dist/src/parallel/worker.js', 'dist/emkit.worker.js']]) {
  const bundle = await rolldown({ input: join(root, input), external, platform: 'node', logLevel: 'warn' })
  // one file each: the lazily imported parts (the JS twin, rarely used paths) inlined
  await bundle.write({ file: join(root, file), format: 'esm', codeSplitting: false })
  await bundle.close()
}

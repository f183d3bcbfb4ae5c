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

/**
 * The source imports rarely used parts of itself on demand (`import('./stream.js')`), so
 * browser bundles split them off. In these one-file bundles that would only wrap the
 * modules in lazy initialisers (slower to load): make those imports static here.
 * Packages (piscina, the optional readers) stay dynamic.
 */
const staticSelfImports = {
  name: 'static-self-imports',
  transform(code, id) {
    if (!id.endsWith('.js') || !code.includes('import(')) return null
    const specifiers = []
    const out = code.replace(/\bimport\('(\.{1,2}\/[^']+)'\)/g, (_, spec) => {
      let i = specifiers.indexOf(spec)
      if (i < 0) i = specifiers.push(spec) - 1
      return `Promise.resolve(__self${i})`
    })
    if (specifiers.length === 0) return null
    return specifiers.map((spec, i) => `import * as __self${i} from '${spec}';\n`).join('') + out
  },
}

for (const [input, file] of [['dist/src/node.js', 'dist/emkit.node.js'], ['dist/src/parallel/worker.js', 'dist/emkit.worker.js']]) {
  const bundle = await rolldown({ input: join(root, input), external, platform: 'node', logLevel: 'warn', plugins: [staticSelfImports] })
  // one file each: the lazily imported parts (the JS twin, rarely used paths) inlined
  await bundle.write({ file: join(root, file), format: 'esm', codeSplitting: false })
  await bundle.close()
}

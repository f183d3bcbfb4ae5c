/**
 * The edge entry inside Vercel's `edge-runtime` (npm), a separate V8 realm with the
 * edge globals. edge-runtime evaluates scripts, not ES modules, so the test bundles
 * dist/src/edge.js into one script with rolldown; the `.wasm` imports become the
 * modules a platform would hand over, compiled here in Node's realm and passed in,
 * so the entry sees WebAssembly.Module objects from another realm (where
 * `instanceof WebAssembly.Module` is false: emkit checks with Object.prototype.toString).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { REPO_ROOT } from '../helpers/static-server.js'

async function bundleEdgeEntry(): Promise<string> {
  const { rolldown } = await import('rolldown')
  const bundle = await rolldown({
    input: join(REPO_ROOT, 'dist', 'src', 'edge.js'),
    logLevel: 'silent',
    plugins: [{
      name: 'wasm-from-host',
      resolveId(source: string) {
        return source.endsWith('.wasm') ? `\0wasm:${source.split('/').pop()}` : null
      },
      load(id: string) {
        return id.startsWith('\0wasm:') ? `export default globalThis.__hostWasm[${JSON.stringify(id.slice(6))}]` : null
      },
    }],
  })
  const { output } = await bundle.generate({ format: 'iife', name: 'emkit' })
  await bundle.close()
  return output[0].code
}

describe('edge-runtime', () => {
  it('runs a fit inside edge-runtime from the edge entry, with modules from another realm', async () => {
    const { EdgeRuntime } = await import('edge-runtime')
    const code = await bundleEdgeEntry()
    const hostWasm = Object.fromEntries(['emkit.simd.wasm', 'emkit.scalar.wasm'].map((name) => [
      name, new WebAssembly.Module(readFileSync(join(REPO_ROOT, 'dist', 'build', name))),
    ]))
    const runtime = new EdgeRuntime({
      extend: (context) => Object.assign(context, { __hostWasm: hostWasm }),
    })
    // the realm really is another one
    expect(runtime.evaluate('globalThis.__hostWasm["emkit.simd.wasm"] instanceof WebAssembly.Module')).toBe(false)
    runtime.evaluate(code)
    const result = await runtime.evaluate<Promise<Record<string, number | string>>>(`(async () => {
      const out = {}
      for (const backend of ['wasm', 'wasm-scalar', 'js']) {
        const gm = await new emkit.GaussianMixture({ nComponents: 2, nInit: 3, seed: 4, backend }).fit(emkit.faithfulRows())
        out[backend] = gm.fitResult.logLik
      }
      out.kernels = (await emkit.loadKernels('wasm')).name
      out.isResponse = typeof Response === 'function' && typeof process === 'undefined' ? 'edge' : 'node'
      return out
    })()`)
    expect(result['kernels']).toBe('wasm')
    expect(result['isResponse']).toBe('edge')
    const node = await new GaussianMixture({ nComponents: 2, nInit: 3, seed: 4 }).fit(faithfulRows())
    for (const backend of ['wasm', 'wasm-scalar', 'js']) {
      expect(Math.abs((result[backend] as number) - node.fitResult.logLik) / Math.abs(node.fitResult.logLik)).toBeLessThan(1e-10)
    }
  }, 60000)
})

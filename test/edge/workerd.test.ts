/**
 * The edge entry (dist/src/edge.js, export condition `workerd`) inside workerd, the
 * Cloudflare Workers runtime (npm package `workerd`, which ships the binary). workerd
 * refuses to compile WebAssembly from bytes, so this passes only if the entry imports
 * the .wasm files as modules. Every module of the entry's import graph (its dynamic
 * imports too: the parts loaded on demand) is listed in a generated config; workerd serves one fetch on a free 127.0.0.1 port and is stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { moduleGraph, relativeFiles } from '../helpers/module-graph.js'
import { REPO_ROOT } from '../helpers/static-server.js'

const DIST = join(REPO_ROOT, 'dist')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const WORKER = `
import { GaussianMixture, faithfulRows, loadKernels } from './src/edge.js'
export default {
  async fetch() {
    try {
      const out = {}
      for (const backend of ['wasm', 'wasm-scalar', 'js']) {
        const gm = await new GaussianMixture({ nComponents: 2, nInit: 3, seed: 4, backend }).fit(faithfulRows())
        out[backend] = gm.fitResult.logLik
      }
      out.kernels = (await loadKernels('wasm')).name
      let compileFromBytes = 'allowed'
      try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) } catch (e) { compileFromBytes = String(e.message) }
      out.compileFromBytes = compileFromBytes
      return Response.json(out)
    } catch (e) {
      return Response.json({ error: String(e && e.stack || e) }, { status: 500 })
    }
  },
}
`

describe('workerd', () => {
  let child: ChildProcess | undefined
  let dir: string | undefined

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM')
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('runs a fit inside workerd from the edge entry (.wasm imported as modules) with Node\'s log-likelihood', async () => {
    const require = createRequire(import.meta.url)
    const bin = join(require.resolve('workerd/package.json'), '..', 'bin', 'workerd')
    dir = mkdtempSync(join(tmpdir(), 'emkit-workerd-'))
    symlinkSync(DIST, join(dir, 'dist'))
    writeFileSync(join(dir, 'worker.js'), WORKER)
    const { files, external } = moduleGraph(join(DIST, 'src', 'edge.js'), { dynamic: true })
    expect(external).toEqual([]) // no bare or node: imports in the edge graph
    const modules = relativeFiles(files, DIST).map((name) => name.endsWith('.wasm')
      ? `(name = "${name}", wasm = embed "dist/${name}")`
      : `(name = "${name}", esModule = embed "dist/${name}")`)
    expect(modules.some((m) => m.includes('emkit.simd.wasm'))).toBe(true)
    const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .emkitWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const emkitWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = "2024-09-23",
);
`
    writeFileSync(join(dir, 'config.capnp'), config)
    const port = await freePort()
    let output = ''
    child = spawn(bin, ['serve', join(dir, 'config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.on('data', (c) => { output += String(c) })
    child.stderr!.on('data', (c) => { output += String(c) })
    let response: Response | undefined
    const deadline = Date.now() + 30000
    while (!response && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}): ${output}`)
      try {
        response = await fetch(`http://127.0.0.1:${port}/`)
      } catch {
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    expect(response, `workerd did not answer: ${output}`).toBeDefined()
    const body = await response!.json() as Record<string, number | string>
    expect(body['error'], output).toBeUndefined()
    expect(body['compileFromBytes']).not.toBe('allowed') // the restriction is real here
    expect(body['kernels']).toBe('wasm')
    const node = await new GaussianMixture({ nComponents: 2, nInit: 3, seed: 4 }).fit(faithfulRows())
    for (const backend of ['wasm', 'wasm-scalar', 'js']) {
      expect(Math.abs((body[backend] as number) - node.fitResult.logLik) / Math.abs(node.fitResult.logLik)).toBeLessThan(1e-10)
    }
    child.kill('SIGTERM')
    await new Promise((r) => child!.once('exit', r))
  }, 60000)
})

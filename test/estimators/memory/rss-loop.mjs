/**
 * Run in a process of its own (test/estimators/memory.test.ts and soak.mjs start it),
 * so the RSS is this loop's alone: warm up, then 10,000 consecutive fit-and-use rounds,
 * with no dispose() anywhere, either cycling through every estimator (no name given)
 * or of one estimator alone (its name in rounds.mjs). Prints, as JSON, RSS after a full
 * collection at three points just after the warm-up and at three points at the end of
 * the 10,000 (the medians of each are compared: a single reading moves by a few per
 * cent as the allocator and the JIT come and go), the bytes of wasm memory in use
 * (exact) at the same two moments and before the first round, and the measured rounds' wall time.
 *
 * Arguments: warm-up rounds, measured rounds, optionally one round's name.
 */
import * as lib from '../../../dist/src/index.js'
import { kernelMemoryInUse } from '../../../dist/src/kernels/index.js'
import { makeRounds } from './rounds.mjs'

const all = makeRounds(lib)
const name = process.argv[4]
if (name !== undefined && !(name in all)) throw new Error(`no round named ${JSON.stringify(name)} in rounds.mjs (known: ${Object.keys(all).join(', ')})`)
const rounds = name === undefined ? Object.values(all) : [all[name]]
const warmUp = Number(process.argv[2] ?? 8000)
const fits = Number(process.argv[3] ?? 10000)
const spacing = Math.min(200, Math.floor(fits / 8))
const kernels = await lib.loadKernels('wasm')
const kernelStart = kernelMemoryInUse(kernels) // before any round: what the allocator itself holds
let i = 0
const run = async (count) => {
  for (const end = i + count; i < end; i++) await rounds[i % rounds.length](i, 'wasm')
}
const readings = async () => {
  const out = []
  for (let k = 0; k < 3; k++) {
    if (k > 0) await run(spacing)
    globalThis.gc()
    await new Promise((resolve) => setTimeout(resolve, 50))
    globalThis.gc()
    out.push(process.memoryUsage().rss)
  }
  return out
}
await run(warmUp)
const start = performance.now()
const before = await readings()
const kernelBefore = kernelMemoryInUse(kernels)
await run(fits - 4 * spacing)
const after = await readings()
const seconds = (performance.now() - start) / 1000
const kernelAfter = kernelMemoryInUse(kernels)
process.stdout.write(JSON.stringify({ name: name ?? 'all', before, after, fits: i - warmUp, kernelStart, kernelBefore, kernelAfter, seconds }) + '\n')

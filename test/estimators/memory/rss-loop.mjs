/**
 * Run in a process of its own (test/estimators/memory.test.ts starts it), so the RSS
 * is this loop's alone: warm up, then 10,000 consecutive fit-and-use rounds cycling
 * through every estimator, with no dispose() anywhere. Prints, as JSON, RSS after a
 * full collection at three points just after the warm-up and at three points at the
 * end of the 10,000 (the medians of each are compared: a single reading moves by a
 * few per cent as the allocator and the JIT come and go).
 *
 * Arguments: warm-up rounds, measured rounds.
 */
import * as lib from '../../../dist/src/index.js'
import { makeRounds } from './rounds.mjs'

const rounds = Object.values(makeRounds(lib))
const warmUp = Number(process.argv[2] ?? 8000)
const fits = Number(process.argv[3] ?? 10000)
const spacing = 200
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
const before = await readings()
await run(fits - 4 * spacing)
const after = await readings()
process.stdout.write(JSON.stringify({ before, after, fits: i - warmUp }) + '\n')

// A seeded stream of 10^8 rows (d = 8, K = 8 overlapping Gaussian clusters, generated
// chunk by chunk, never held) fitted by online EM in one pass (partialFit, chunks of
// 10^5 rows): resident memory before, at its peak (sampled after every chunk) and
// after, and rows per second (generation included, reported apart). The rows never
// exist together: 10^8 x 8 doubles would be 6.4 GB. EMKIT_STREAM_ROWS sets the rows
// (default 10^7 so that `npm run bench` stays short; the README's numbers are for 1e8).
import { GaussianMixture } from '../dist/src/index.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'

const N = Number(process.env.EMKIT_STREAM_ROWS ?? 1e7)
const D = 8, K = 8, CHUNK = 100000
const MB = (b) => (b / 2 ** 20).toFixed(0)

/** The stream: chunks of rows drawn from one seeded generator into one reused buffer (partialFit copies what it keeps). */
function* rowsStream(n, seed) {
  const rng = new Rng(seed)
  const centers = Array.from({ length: K }, () => Array.from({ length: D }, () => 1.5 * rng.normal()))
  const data = new Float64Array(CHUNK * D)
  for (let done = 0; done < n; done += CHUNK) {
    const rows = Math.min(CHUNK, n - done)
    for (let i = 0; i < rows; i++) {
      const c = centers[rng.integer(K)]
      for (let j = 0; j < D; j++) data[i * D + j] = c[j] + rng.normal()
    }
    yield { rows, cols: D, data: data.subarray(0, rows * D) }
  }
}

export async function run() {
  // generation alone, on a slice, to separate its cost from EM's
  let t = performance.now()
  const probe = Math.min(N, 2e6)
  for (const _ of rowsStream(probe, 1)) { /* draw only */ }
  const genPerRow = (performance.now() - t) / probe

  const gm = new GaussianMixture({ nComponents: K, seed: 1 })
  await gm.partialFit(rowsStream(CHUNK, 99).next().value) // load kernels, JIT: not part of the stream
  const fresh = new GaussianMixture({ nComponents: K, seed: 1 })
  const before = process.memoryUsage().rss
  let peak = before
  t = performance.now()
  let chunks = 0
  for (const chunk of rowsStream(N, 1)) {
    await fresh.partialFit(chunk)
    chunks++
    const rss = process.memoryUsage().rss
    if (rss > peak) peak = rss
  }
  const seconds = (performance.now() - t) / 1000
  const after = process.memoryUsage().rss
  console.log(`online EM, one pass over ${N.toExponential(0)} rows (d = ${D}, K = ${K}) in ${chunks} chunks of ${CHUNK}: ${seconds.toFixed(1)} s, ${(N / seconds).toFixed(0)} rows/s (generating the rows: ${(genPerRow * N / 1000).toFixed(1)} s of it)`)
  console.log(`resident memory: before ${MB(before)} MB, peak ${MB(peak)} MB, after ${MB(after)} MB (limit 300 MB)`)
  console.log(`nSeen ${fresh.nSeen}; mean log-likelihood of the last chunk ${(fresh.fitResult.logLik / CHUNK).toFixed(4)} per row; weights ${fresh.weights.map((w) => w.toFixed(3)).join(' ')}`)
  if (peak > 300 * 2 ** 20) throw new Error(`peak resident memory ${MB(peak)} MB is over 300 MB`)
}

// One fit sharded over workers (fit(X, { workers })): 1 vs 2 workers on 10^7 rows
// (d = 8, K = 8, full covariances; ROWS=... to change). Per iteration: the median gap
// between onIteration calls (E-step on the shards + merge + M-step); whole fit: wall
// time of maxIter = 10 including the initialisation (k-means++ on the main thread) and
// the shards' start (their rows copied into the workers' kernel memory). Pools are
// started before timing. Prints whether 1 and 2 workers gave bit-identical fits.
import { GaussianMixture, closePool } from '../dist/emkit.node.js'
import { machineScaling, mixtureData, ms, printTable, ratio } from './lib.mjs'


async function timedFit(X, opts, workers) {
  const stamps = []
  const t = performance.now()
  const gm = await new GaussianMixture(opts).fit(X, { workers, onIteration: () => stamps.push(performance.now()) })
  const whole = performance.now() - t
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]).sort((a, b) => a - b)
  return { whole, perIteration: gaps[Math.floor(gaps.length / 2)], gm }
}

export async function run() {
  const n = Number(process.env.ROWS ?? 1e7)
  console.log(`machine check: two busy threads ran ${(await machineScaling()).toFixed(2)}x the work of one in the same time (2.00 = two free cores)`)
  const X = mixtureData(n, 8, 8, 42)
  const opts = { nComponents: 8, covarianceType: 'full', seed: 1, maxIter: 10, tol: 0 }
  const small = mixtureData(200000, 8, 8, 1)
  for (const w of [1, 2]) await new GaussianMixture({ ...opts, maxIter: 1 }).fit(small, { workers: w }) // start both pools
  const rows = []
  const results = { 1: [], 2: [] }
  for (let rep = 0; rep < Number(process.env.REPEATS ?? 1); rep++) {
    for (const w of [1, 2]) results[w].push(await timedFit(X, opts, w))
  }
  const med = (list, key) => list.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)]
  const identical = JSON.stringify(results[1][0].gm.means) === JSON.stringify(results[2][0].gm.means) && results[1][0].gm.logLik === results[2][0].gm.logLik
  rows.push([`(${n}, 8, 8) full: per iteration`, ms(med(results[1], 'perIteration')), ms(med(results[2], 'perIteration')), ratio(med(results[1], 'perIteration'), med(results[2], 'perIteration')), identical ? 'yes' : 'NO'])
  rows.push([`  whole fit, maxIter 10 (init + shard start included)`, ms(med(results[1], 'whole')), ms(med(results[2], 'whole')), ratio(med(results[1], 'whole'), med(results[2], 'whole')), identical ? 'yes' : 'NO'])
  printTable(['sharded fit', '1 worker', '2 workers', 'speed-up', 'bit-identical'], rows)
  console.log(`main-thread RSS after: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`)
  await closePool()
}

// One fit sharded over workers (fit(X, { workers })): 1 vs 2 workers on 10^7 rows
// (d = 8, K = 8, full covariances; ROWS=... to change; INIT=kmeans for Lloyd's start).
// Per iteration: the median gap between onIteration calls (E-step on the shards +
// merge + M-step); start: wall time to the first onIteration (the shards' start, i.e.
// their rows copied into the workers' kernel memory, the initialisation on the shards
// and the first iteration); whole fit: wall time of maxIter = 10. Pools are started
// before timing. Prints whether 1 and 2 workers gave bit-identical fits, and the main
// process's resident memory (all threads: the workers' kernel memory too) before the
// fits and its peak during them, and the main thread's array buffers (X, its copies,
// its kernel memory), sampled every 20 ms.
import { GaussianMixture, closePool } from '../dist/emkit.node.js'
import { machineScaling, mixtureData, ms, printTable, ratio } from './lib.mjs'

const MB = 2 ** 20

async function timedFit(X, opts, workers) {
  const stamps = []
  globalThis.gc?.()
  const at = process.memoryUsage()
  let peak = process.memoryUsage().rss, peakBuffers = process.memoryUsage().arrayBuffers
  const sample = () => { const m = process.memoryUsage(); peak = Math.max(peak, m.rss); peakBuffers = Math.max(peakBuffers, m.arrayBuffers) }
  const sampler = setInterval(sample, 20)
  const t = performance.now()
  const gm = await new GaussianMixture(opts).fit(X, { workers, onIteration: () => stamps.push(performance.now()) })
  const whole = performance.now() - t
  clearInterval(sampler)
  sample()
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]).sort((a, b) => a - b)
  // only what is compared is kept: a fitted model holds its training rows
  return { whole, start: stamps[0] - t, perIteration: gaps[Math.floor(gaps.length / 2)], at, peak, peakBuffers, fit: { means: gm.means, logLik: gm.logLik } }
}

export async function run() {
  const n = Number(process.env.ROWS ?? 1e7)
  console.log(`machine check: two busy threads ran ${(await machineScaling()).toFixed(2)}x the work of one in the same time (2.00 = two free cores)`)
  const X = mixtureData(n, 8, 8, 42)
  const opts = { nComponents: 8, covarianceType: 'full', seed: 1, maxIter: 10, tol: 0, ...(process.env.INIT ? { init: process.env.INIT } : {}) }
  const small = mixtureData(200000, 8, 8, 1)
  for (const w of [1, 2]) await new GaussianMixture({ ...opts, maxIter: 1 }).fit(small, { workers: w }) // start both pools
  globalThis.gc?.()
  const before = process.memoryUsage()
  const rows = []
  const results = { 1: [], 2: [] }
  for (let rep = 0; rep < Number(process.env.REPEATS ?? 1); rep++) {
    for (const w of [1, 2]) results[w].push(await timedFit(X, opts, w))
  }
  const med = (list, key) => list.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)]
  const identical = JSON.stringify(results[1][0].fit) === JSON.stringify(results[2][0].fit)
  const row = (label, key) => [label, ms(med(results[1], key)), ms(med(results[2], key)), ratio(med(results[1], key), med(results[2], key)), identical ? 'yes' : 'NO']
  rows.push(row(`(${n}, 8, 8) full, init ${opts.init ?? 'kmeans++'}: per iteration`, 'perIteration'))
  rows.push(row('  start (shards, initialisation, first iteration)', 'start'))
  rows.push(row('  whole fit, maxIter 10', 'whole'))
  printTable(['sharded fit', '1 worker', '2 workers', 'speed-up', 'bit-identical'], rows)
  // the load may change during the fits: check again
  console.log(`machine check after the fits: ${(await machineScaling()).toFixed(2)}x`)
  const mb = (v) => `${(v / MB).toFixed(0)} MB`
  console.log(`X is ${mb(X.data.byteLength)}; before the first fit: process RSS ${mb(before.rss)}, main thread's array buffers ${mb(before.arrayBuffers)}.`)
  for (const w of [1, 2]) {
    const r = results[w][0]
    console.log(`${w} worker${w > 1 ? 's' : ''}: process RSS (every thread) ${mb(r.at.rss)} at the fit's start, peak ${mb(r.peak)}; main thread's array buffers (X, its copies, its kernel memory) ${mb(r.at.arrayBuffers)} -> peak ${mb(r.peakBuffers)}.`)
  }
  console.log(`after the fits: process RSS ${mb(process.memoryUsage().rss)}.`)
  await closePool()
}

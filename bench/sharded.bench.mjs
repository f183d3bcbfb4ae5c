// One fit sharded over workers (fit(X, { workers })): 1 vs 2 workers on 10^7 rows
// (d = 8, K = 8, full covariances; ROWS=... to change; INIT=kmeans for Lloyd's start).
// Per iteration: the median gap between onIteration calls (E-step on the shards +
// merge + M-step); start: wall time to the first onIteration (the shards' start, i.e.
// their rows copied into the workers' kernel memory, the initialisation on the shards
// and the first iteration); whole fit: wall time of maxIter = 10. Cold: the first fit on a
// pool started afresh just before it (untimed); warm: the next fit on the same workers (each
// fit SETTLE_MS = 3 s after the last one's memory was freed).
// REPEATS times each, medians reported. Prints whether 1 and 2 workers gave bit-identical fits, and the main
// process's resident memory (all threads: the workers' kernel memory too) before the
// fits and its peak during them, and the main thread's array buffers (X, its copies,
// its kernel memory), sampled every 50 ms (the array buffers every 500 ms).
import { readFileSync } from 'node:fs'
import { GaussianMixture, closePool } from '../dist/emkit.node.js'
import { machineScaling, mixtureData, ms, printTable, ratio } from './lib.mjs'

const MB = 2 ** 20

/** CPU seconds every process on the machine has spent busy (Linux /proc/stat; null elsewhere). */
function machineBusy() {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number)
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100 // user nice system irq softirq steal (USER_HZ = 100)
  } catch {
    return null
  }
}

async function timedFit(X, opts, workers) {
  const stamps = []
  globalThis.gc?.()
  const at = process.memoryUsage()
  const busy = machineBusy(), cpu = process.cpuUsage()
  let peak = process.memoryUsage().rss, peakBuffers = process.memoryUsage().arrayBuffers
  const sample = () => { const m = process.memoryUsage(); peak = Math.max(peak, m.rss); peakBuffers = Math.max(peakBuffers, m.arrayBuffers) }
  // the resident size every 50 ms (cheap), the array buffers every 500 ms: the full memoryUsage() every
  // 20 ms cost the 2-worker iterations ~5% (the main thread competes with both workers for the 2 cores)
  let ticks = 0
  const sampler = setInterval(() => { if (++ticks % 10 === 0) sample(); else peak = Math.max(peak, process.memoryUsage.rss()) }, 50)
  const t = performance.now()
  const pending = new GaussianMixture(opts).fit(X, { workers, onIteration: () => stamps.push(performance.now()) })
  // fit() returns once X is copied into shared memory (the one part on this thread, before any await)
  const copy = performance.now() - t
  const gm = await pending
  const whole = performance.now() - t
  const ours = process.cpuUsage(cpu)
  // what other processes took of the cores meanwhile (a timing run wants ~0)
  const others = busy === null ? null : machineBusy() - busy - (ours.user + ours.system) / 1e6
  clearInterval(sampler)
  sample()
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]).sort((a, b) => a - b)
  // only what is compared is kept: a fitted model holds its training rows
  return { whole, copy, others, start: stamps[0] - t, perIteration: gaps[Math.floor(gaps.length / 2)], at, peak, peakBuffers, fit: { means: gm.means, logLik: gm.logLik } }
}

export async function run() {
  const n = Number(process.env.ROWS ?? 1e7)
  console.log(`machine check: two busy threads ran ${(await machineScaling()).toFixed(2)}x the work of one in the same time (2.00 = two free cores)`)
  const X = mixtureData(n, 8, 8, 42)
  const opts = { nComponents: 8, covarianceType: 'full', seed: 1, maxIter: 10, tol: 0, ...(process.env.INIT ? { init: process.env.INIT } : {}) }
  const small = mixtureData(200000, 8, 8, 1)
  globalThis.gc?.()
  const before = process.memoryUsage()
  const rows = []
  const results = { cold: { 1: [], 2: [] }, warm: { 1: [], 2: [] } }
  for (let rep = 0; rep < Number(process.env.REPEATS ?? 1); rep++) {
    // cold: the first big fit on a pool started afresh (a small fit first, untimed), whose workers
    // grow and map their kernel memory for the rows; warm: the next fit on the same workers, whose
    // memory is already there (workers idle for 10 s leave and take it with them). Memory freed
    // shortly before costs more to map again on this VM (a fit that followed one which freed 10^7
    // rows took up to 4x longer to copy its rows in), so each cold fit waits SETTLE_MS after the
    // last pool's memory is freed, and the order alternates. So does each warm fit (since 2026-12-03
    // 12:45 UTC), after the last fit's model is collected: without it the warm fit's copy of X into
    // shared memory took 0.6-2.3 s instead of 0.3-0.4 s, the same for 1 and 2 workers (the model
    // just collected held the last copy), and so did the shards' first fresh arrays
    const settle = async () => {
      globalThis.gc?.()
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.SETTLE_MS ?? 3000)))
    }
    for (const w of rep % 2 === 0 ? [1, 2] : [2, 1]) {
      await closePool()
      await new GaussianMixture({ ...opts, maxIter: 1 }).fit(small, { workers: w })
      await settle()
      results.cold[w].push(await timedFit(X, opts, w))
      await settle()
      results.warm[w].push(await timedFit(X, opts, w))
    }
  }
  const med = (list, key) => list.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)]
  const identical = JSON.stringify(results.cold[1][0].fit) === JSON.stringify(results.cold[2][0].fit) && JSON.stringify(results.warm[1][0].fit) === JSON.stringify(results.cold[2][0].fit)
  for (const pool of ['cold', 'warm']) {
    const r = results[pool]
    const row = (label, key) => [label, ms(med(r[1], key)), ms(med(r[2], key)), ratio(med(r[1], key), med(r[2], key)), identical ? 'yes' : 'NO']
    rows.push(row(`(${n}, 8, 8) full, init ${opts.init ?? 'kmeans++'}, ${pool} pool: per iteration`, 'perIteration'))
    rows.push(row('  start (rows copied in, initialisation, first iteration)', 'start'))
    rows.push(row('  whole fit, maxIter 10', 'whole'))
  }
  printTable(['sharded fit', '1 worker', '2 workers', 'speed-up', 'bit-identical'], rows)
  // the load may change during the fits: check again
  console.log(`machine check after the fits: ${(await machineScaling()).toFixed(2)}x`)
  const mb = (v) => `${(v / MB).toFixed(0)} MB`
  console.log(`X is ${mb(X.data.byteLength)}; before the first fit: process RSS ${mb(before.rss)}, main thread's array buffers ${mb(before.arrayBuffers)}.`)
  for (const w of [1, 2]) {
    const r = results.cold[w][0]
    console.log(`${w} worker${w > 1 ? 's' : ''}, first cold fit: process RSS (every thread) ${mb(r.at.rss)} at the fit's start, peak ${mb(r.peak)}; main thread's array buffers (X, its copies, its kernel memory) ${mb(r.at.arrayBuffers)} -> peak ${mb(r.peakBuffers)}.`)
  }
  console.log(`after the fits: process RSS ${mb(process.memoryUsage().rss)}.`)
  const seconds = (list) => list.map((r) => `${(r.whole / 1000).toFixed(1)} s (copy ${(r.copy / 1000).toFixed(2)} s${r.others === null ? '' : `, others ${r.others.toFixed(1)} CPU s`})`).join(', ')
  for (const pool of ['cold', 'warm']) console.log(`${pool} whole fits, in order, with this thread's copy of X into shared memory and the CPU time other processes took meanwhile: 1 worker ${seconds(results[pool][1])}; 2 workers ${seconds(results[pool][2])}.`)
  await closePool()
}

// Parallel restarts and bootstrap on the Piscina pool, and cold import-to-first-fit.
//  - nInit = 8 restarts at (n, d, K) = (100000, 8, 8), full covariances: serial vs the pool
//    (2 workers on this 2-core machine; the pool is warm: its workers already started);
//  - 200 nonparametric bootstrap replicates of a K = 2 fit to Old Faithful, serial vs pool;
// Each timing is the median of a few runs (these take seconds; tinybench's defaults would take minutes).
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { GaussianMixture, bootstrap, closePool, faithfulRows } from '../dist/emkit.node.js'
import { machineScaling, mixtureData, ms, printTable, ratio } from './lib.mjs'

/** Median wall time of `runs` runs, and the process's CPU time per wall time over all of them (all threads: ~2 = two cores busy). */
async function median(runs, fn) {
  const times = []
  let last
  const cpu0 = process.cpuUsage(), wall0 = performance.now()
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    last = await fn()
    times.push(performance.now() - t)
  }
  const cpu = process.cpuUsage(cpu0), wall = performance.now() - wall0
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)], last, cores: (cpu.user + cpu.system) / 1000 / wall }
}


export async function run() {
  const threads = Math.min(8, availableParallelism())
  const rows = []
  console.log(`machine check: two busy threads ran ${(await machineScaling()).toFixed(2)}x the work of one in the same time (2.00 = two free cores)\n`)

  const big = mixtureData(100000, 8, 8, 42)
  const opts = { nComponents: 8, covarianceType: 'full', nInit: 8, seed: 1 }
  const serial = await median(2, () => new GaussianMixture({ ...opts, workers: 1 }).fit(big))
  // start the pool's workers (and warm them up) before timing
  await new GaussianMixture({ ...opts, nInit: threads, maxIter: 1, workers: threads }).fit(big)
  const pooled = await median(2, () => new GaussianMixture({ ...opts, workers: threads }).fit(big))
  await closePool()
  const coldPool = await median(1, () => new GaussianMixture({ ...opts, workers: threads }).fit(big))
  const identical = serial.last.fitResult.logLik === pooled.last.fitResult.logLik &&
    JSON.stringify(serial.last.means) === JSON.stringify(pooled.last.means)
  rows.push([`nInit 8, (100000, 8, 8) full`, ms(serial.ms), ms(pooled.ms), ratio(serial.ms, pooled.ms), identical ? 'yes' : 'NO', pooled.cores.toFixed(2)])
  rows.push([`  the same, pool started cold`, ms(serial.ms), ms(coldPool.ms), ratio(serial.ms, coldPool.ms), coldPool.last.fitResult.logLik === serial.last.fitResult.logLik ? 'yes' : 'NO', coldPool.cores.toFixed(2)])

  const X = faithfulRows()
  const make = () => new GaussianMixture({ nComponents: 2, seed: 0, workers: 1 })
  await bootstrap(make, X, { replicates: 200, workers: 1 }) // warm this thread's JIT
  const bs = await median(5, () => bootstrap(make, X, { replicates: 200, seed: 1, workers: 1 }))
  // start the workers and warm their JIT about as much as this thread's was by its median run
  // (~600 replicates each): a worker is a fresh isolate, and a replicate here is ~0.2 ms of
  // mostly JavaScript, which a cold isolate runs several times slower
  for (let i = 0; i < threads * 3; i++) await bootstrap(make, X, { replicates: 200, workers: threads })
  const bp = await median(5, () => bootstrap(make, X, { replicates: 200, seed: 1, workers: threads }))
  const same = bs.last.replicates.every((r, b) => r.every((v, j) => v === bp.last.replicates[b][j]))
  rows.push([`bootstrap 200, faithful K=2`, ms(bs.ms), ms(bp.ms), ratio(bs.ms, bp.ms), same ? 'yes' : 'NO', bp.cores.toFixed(2)])
  await closePool()

  console.log(`${threads} worker threads (os.availableParallelism() = ${availableParallelism()})\n`)
  printTable(['task', 'serial ms', 'pool ms', 'speed-up', 'bit-identical', 'pool CPU/wall'], rows)
  console.log('\n(pool CPU/wall: CPU seconds of all threads per wall second during the pool runs; below ~1.9 the machine was not giving two cores)')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run()

/**
 * k-means written once as plans over shards (src/models/init/kmeans.ts, plan.ts): the
 * rows split over several shards (whole blocks each, the last one short) give the bits
 * of one shard holding every block, for k-means++, Lloyd's iterations and the
 * assignment, with and without row weights; blocks are small here so a few thousand
 * rows make many of them.
 */
import { describe, expect, it } from 'vitest'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { blobs } from '../helpers/synthetic.js'
import { loadKernels } from '../../src/kernels/index.js'
import { heaps } from '../../src/kernels/wasm/memory-use.js'
import { assignPlan, kmeansPlusPlusPlan } from '../../src/models/init/kmeans.js'
import { kmeansPlan, LloydShard as KMeansShard } from '../../src/models/init/kmeans-lloyd.js'
import { runPlan, runPlanAsync } from '../../src/models/init/plan.js'

const SEED = 4242
console.log(`kmeans-shards test seed ${SEED}`)
const BLOCK = 97

describe('k-means over shards', () => {
  for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
    // k = 14: k-means++ measures the rows against the chosen centres again up to 10 of them, then keeps their distances
    for (const [weighted, k] of [[false, 5], [true, 5], [false, 14], [true, 14]] as const) {
      it(`gives one shard's bits for any split (${backend}, ${weighted ? 'weighted' : 'unweighted'}, k = ${k})`, async () => {
        const kernels = await loadKernels(backend)
        const n = 2345, d = 3
        const x = blobs(n, d, k, SEED, { spread: 5 }).data
        const weight = weighted ? Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1 + (i % 3))) : null
        const arena = kernels.arena()
        try {
          const xb = arena.f64From(x)
          const shardsOf = (cuts: number[]) => {
            const bounds = [0, ...cuts, Math.ceil(n / BLOCK)]
            return bounds.slice(1).map((hi, s) => {
              const lo = bounds[s]!
              const rows = Math.min(n, hi * BLOCK) - lo * BLOCK
              return new KMeansShard({ kernels, x: xb.subarray(lo * BLOCK * d, (lo * BLOCK + rows) * d), n: rows, d, weight: weight ? weight.subarray(lo * BLOCK, lo * BLOCK + rows) : null }, lo, BLOCK)
            })
          }
          const run = (cuts: number[]) => {
            const shards = shardsOf(cuts)
            const plusPlus = runPlan(kmeansPlusPlusPlan(n, d, k, weighted, new Rng(7)), shards)
            const assigned = runPlan(assignPlan(plusPlus, k), shards)
            const lloyd = runPlan(kmeansPlan(n, d, k, weighted, new Rng(8), { tol: 0 }), shards)
            const labels = shards.flatMap((s) => Array.from(s.assigned))
            for (const s of shards) s.close()
            return { plusPlus, assigned, lloyd, labels }
          }
          const one = run([])
          expect(run([5])).toEqual(one)
          expect(run([1, 2, 20])).toEqual(one)
          // the same plan driven asynchronously (as on workers)
          const shards = shardsOf([3, 9])
          const centers = await runPlanAsync(kmeansPlusPlusPlan(n, d, k, weighted, new Rng(7)), async ({ op, args }) => shards.map((s) => s.call(op, args)))
          expect(centers).toEqual(one.plusPlus)
          // Lloyd moved the centres and labels every row (weight-0 rows too)
          expect(one.lloyd.nIter).toBeGreaterThan(1)
          expect(one.lloyd.inertia).toBeLessThan(one.assigned.inertia)
          expect(one.labels).toHaveLength(n)
        } finally {
          arena.dispose()
        }
      })
    }

    it(`gives the same bits whatever the pieces of its distance passes (${backend})`, async () => {
      const kernels = await loadKernels(backend)
      const n = 2345, d = 3, k = 9
      const x = blobs(n, d, k, SEED + 3, { spread: 5 }).data
      const weight = Float64Array.from({ length: n }, (_, i) => 1 + (i % 5))
      const arena = kernels.arena()
      try {
        const xb = arena.f64From(x)
        const run = (pieceRows: number) => {
          const shard = new KMeansShard({ kernels, x: xb, n, d, weight }, 0, BLOCK, pieceRows)
          const plusPlus = runPlan(kmeansPlusPlusPlan(n, d, k, true, new Rng(7)), [shard])
          const lloyd = runPlan(kmeansPlan(n, d, k, true, new Rng(8), { tol: 0 }), [shard])
          const labels = Array.from(shard.assigned)
          shard.close()
          return { plusPlus, lloyd, labels }
        }
        const whole = run(BLOCK)
        expect(run(10)).toEqual(whole)
        expect(run(31)).toEqual(whole)
        expect(whole.lloyd.nIter).toBeGreaterThan(1)
      } finally {
        arena.dispose()
      }
    })

    /**
     * An empty cluster takes the row farthest from its centre at the last assignment,
     * which Lloyd's iterations measure again instead of keeping every row's distance: the
     * farthest over shards is the brute-force one (its squared distance in the kernel's
     * bits), a row moved to an empty cluster counts as 0 after, and the inertia is the
     * distances' sum per block.
     */
    it(`moves an empty cluster to the farthest row, over any split (${backend})`, async () => {
      const kernels = await loadKernels(backend)
      const n = 1234, d = 2, k = 3
      const x = blobs(n, d, 2, SEED + 2, { spread: 5 }).data
      // the third centre is far from every row: its cluster is empty
      const centers = Float64Array.from([x[0]!, x[1]!, x[2]!, x[3]!, 1e3, 1e3])
      const arena = kernels.arena()
      try {
        const xb = arena.f64From(x)
        const all = arena.f64(n * k)
        kernels.sqDistances(xb, n, d, arena.f64From(centers), k, all)
        const nearest = Array.from({ length: n }, (_, i) => Math.min(...all.view.subarray(i * k, i * k + k)))
        const far = nearest.indexOf(Math.max(...nearest))
        const next = nearest.indexOf(Math.max(...nearest.map((v, i) => (i === far ? 0 : v))))
        for (const cuts of [[], [4], [1, 7]]) {
          const bounds = [0, ...cuts, Math.ceil(n / BLOCK)]
          const shards = bounds.slice(1).map((hi, s) => {
            const lo = bounds[s]!, rows = Math.min(n, hi * BLOCK) - lo * BLOCK
            return new KMeansShard({ kernels, x: xb.subarray(lo * BLOCK * d, (lo * BLOCK + rows) * d), n: rows, d, weight: null }, lo, BLOCK)
          })
          const ask = (op: string, args?: unknown) => shards.map((sh) => sh.call(op, args))
          const inertia = (ask('assign', { centers, k }) as { inertia: Float64Array }[]).flatMap((a) => Array.from(a.inertia))
          expect(inertia).toEqual(Array.from({ length: Math.ceil(n / BLOCK) }, (_, b) => nearest.slice(b * BLOCK, (b + 1) * BLOCK).reduce((a, v) => a + v, 0)))
          const farthest = () => (ask('farthest') as { index: number; value: number }[]).reduce((a, b) => (b.value > a.value ? b : a))
          expect(farthest()).toEqual({ index: far, value: nearest[far] })
          ask('zeroNearest', { index: far })
          expect(farthest()).toEqual({ index: next, value: nearest[next] })
          for (const sh of shards) sh.close()
        }
      } finally {
        arena.dispose()
      }
    })

    /**
     * The serial Gaussian mixture lends k-means kernel memory for its per-row state
     * (gmm/start.ts: no JS arrays of n beside the fit's buffers); with the memory grown
     * before every request (every view taken earlier detached), the bits are the JS arrays'.
     */
    it(`with lent kernel memory and the memory moving under it, gives the bits of its own arrays (${backend})`, async () => {
      const kernels = await loadKernels(backend)
      const n = 2345, d = 3, k = 5
      const x = blobs(n, d, k, SEED + 1, { spread: 5 }).data
      const arena = kernels.arena()
      try {
        const xb = arena.f64From(x)
        const dist = arena.f64(n), tail = arena.f64(n)
        const scratch = {
          distances: () => dist.view,
          labels: () => new Int32Array(tail.view.buffer, tail.view.byteOffset, n),
        }
        // every arena k-means opens (its distance blocks, inside a request) grows the wasm memory first: every view taken before detaches
        const memory = heaps.get(kernels)?.memory
        const moving = new Proxy(kernels, {
          get: (target, prop) => {
            if (prop === 'arena') return () => { memory?.grow(1); return target.arena() }
            const v = Reflect.get(target, prop)
            return typeof v === 'function' ? v.bind(target) : v
          },
        })
        const run = async (lent: boolean) => {
          const shard = new KMeansShard({ kernels: moving, x: xb, n, d, weight: null, ...(lent ? { scratch } : {}) }, 0, BLOCK)
          const call = async ({ op, args }: { op: string; args?: unknown }) => [shard.call(op, args)]
          const plusPlus = await runPlanAsync(kmeansPlusPlusPlan(n, d, k, false, new Rng(7)), call)
          const assigned = await runPlanAsync(assignPlan(plusPlus, k), call)
          const first = Array.from(shard.assigned)
          // the state was in the lent memory (the first assignment's labels are the lent set's)
          if (lent) expect(Array.from(new Int32Array(tail.view.buffer, tail.view.byteOffset, n))).toEqual(first)
          const lloyd = await runPlanAsync(kmeansPlan(n, d, k, false, new Rng(8), { tol: 0 }), call)
          const labels = Array.from(shard.assigned)
          shard.close()
          return { plusPlus, assigned, first, lloyd, labels }
        }
        const own = await run(false)
        const lent = await run(true)
        expect(lent).toEqual(own)
        expect(own.lloyd.nIter).toBeGreaterThan(1)
      } finally {
        arena.dispose()
      }
    })
  }
})

describe('k-means labels', () => {
  // bytes up to 256 clusters (the per-row state of a large start), int32s beyond: both must label every row by its nearest centre
  for (const k of [256, 257]) {
    it(`are each row's nearest centre with ${k} clusters`, async () => {
      const kernels = await loadKernels('js')
      const n = 2 * k + 31, d = 2
      const x = blobs(n, d, 7, SEED + k, { spread: 5 }).data
      const arena = kernels.arena()
      try {
        const shard = new KMeansShard({ kernels, x: arena.f64From(x), n, d, weight: null })
        const centers = runPlan(kmeansPlusPlusPlan(n, d, k, false, new Rng(SEED)), [shard])
        runPlan(assignPlan(centers, k), [shard])
        const labels = shard.assigned
        expect(labels).toBeInstanceOf(k <= 256 ? Uint8Array : Int32Array)
        for (let i = 0; i < n; i++) {
          let best = 0, bd = Infinity
          for (let c = 0; c < k; c++) {
            const dist = (x[i * d]! - centers[c * d]!) ** 2 + (x[i * d + 1]! - centers[c * d + 1]!) ** 2
            if (dist < bd) { bd = dist; best = c }
          }
          // ties aside (none in continuous data), the kernel's nearest is the brute force's
          expect(labels[i]).toBe(best)
        }
        expect(Math.max(...labels)).toBeGreaterThan(200)
      } finally {
        arena.dispose()
      }
    })
  }
})

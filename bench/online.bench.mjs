// Online EM vs incremental EM vs batch EM on 10^6 rows (d = 8, K = 8, full covariances,
// seeded, overlapping clusters: centres 1.5 sd apart per coordinate, so EM takes many passes): the mean log-likelihood per row on the whole data after each pass
// over the data, all three from the same start (k-means++ of batch EM, seed 1). Batch EM:
// one pass per iteration (history[t]); incremental EM (B = 20 blocks): one pass per sweep,
// evaluated outside the fit at the parameters after each sweep; online EM (partialFit,
// chunks of 10^4 rows, default learningOffset 10 and learningDecay 0.7): evaluated
// after each full pass. Writes bench/online-passes.svg. EMKIT_ONLINE_ROWS overrides n.
import { writeFileSync } from 'node:fs'
import { GaussianMixture } from '../dist/src/index.js'
import { loadKernels } from '../dist/src/kernels/index.js'
import { GaussianMixtureModel } from '../dist/src/models/gmm/model.js'
import { axes, linear } from '../dist/src/plot/axes.js'
import { close, header, open } from '../dist/src/plot/frame.js'
import { componentColor } from '../dist/src/plot/style.js'
import { mixtureData, printTable } from './lib.mjs'

const N = Number(process.env.EMKIT_ONLINE_ROWS ?? 1e6)
const D = 8, K = 8, PASSES = 10, CHUNK = 10000, BLOCKS = 20

export async function run() {
  const X = mixtureData(N, D, K, 7, 1.5) // overlapping clusters
  const started = await new GaussianMixture({ nComponents: K, maxIter: 0, seed: 1 }).fit(X)
  const init = { weights: started.weights, means: started.means, covariances: started.covariances }
  const settings = { nComponents: K, init, tol: 0 }

  const kernels = await loadKernels('wasm')
  const model = new GaussianMixtureModel({ kernels, k: K, d: D, covarianceType: 'full', regCovar: 1e-6 })
  const prepared = model.prepare(X)
  const perRow = (params) => model.logLik(prepared, params) / N

  let t = performance.now()
  const batch = await new GaussianMixture({ ...settings, maxIter: PASSES }).fit(X)
  const batchMs = performance.now() - t
  const curves = { batch: batch.history.map((v) => v / N) }

  const path = []
  t = performance.now()
  await new GaussianMixture({ ...settings, maxIter: PASSES, algorithm: 'incremental', blocks: BLOCKS }).fit(X, { onIteration: (i) => { path.push(i.params) } })
  const incMs = performance.now() - t
  curves.incremental = [curves.batch[0], ...path.map(perRow)]

  const online = new GaussianMixture({ nComponents: K, init })
  curves.online = [curves.batch[0]]
  let onlineMs = 0
  for (let pass = 0; pass < PASSES; pass++) {
    t = performance.now()
    for (let i = 0; i < N; i += CHUNK) {
      const rows = Math.min(CHUNK, N - i)
      await online.partialFit({ rows, cols: D, data: X.data.subarray(i * D, (i + rows) * D) })
    }
    onlineMs += performance.now() - t
    curves.online.push(perRow(online.fitResult.params))
  }
  model.release(prepared)
  model.dispose()

  const best = Math.max(...Object.values(curves).flat())
  printTable(['passes', 'batch EM', `incremental (B = ${BLOCKS})`, `online (chunks of ${CHUNK})`],
    curves.batch.map((_, p) => [p, ...['batch', 'incremental', 'online'].map((m) => curves[m][p].toFixed(6))]))
  console.log(`\nmean log-likelihood per row (n = ${N}, d = ${D}, K = ${K}); best seen ${best.toFixed(6)}`)
  console.log(`time for ${PASSES} passes: batch ${(batchMs / 1000).toFixed(1)} s, incremental ${(incMs / 1000).toFixed(1)} s, online ${(onlineMs / 1000).toFixed(1)} s (evaluations excluded)`)
  for (const eps of [1e-2, 1e-3, 1e-4]) {
    const reach = (c) => { const p = c.findIndex((v) => v >= best - eps); return p < 0 ? `> ${PASSES}` : String(p) }
    console.log(`passes to within ${eps}/row of the best: batch ${reach(curves.batch)}, incremental ${reach(curves.incremental)}, online ${reach(curves.online)}`)
  }
  writeFileSync(new URL('./online-passes.svg', import.meta.url), plot(curves))
  console.log('wrote bench/online-passes.svg')
}

/** Mean log-likelihood per row against passes 1..PASSES (pass 0, the common start, is far below), one line per method, each named at its end. */
function plot(curves) {
  const W = 720, H = 440
  const out = []
  open(out, W, H, header(W, `Online vs incremental vs batch EM, ${N.toLocaleString('en-US')} rows`, `d = ${D}, K = ${K}, full covariances, the same start; mean log-likelihood per row on all the rows after each pass over the data (pass 0, the start, at ${curves.batch[0].toFixed(3)}, is below the frame)`))
  const box = { left: 80, top: 100, right: W - 130, bottom: H - 50 }
  const shown = Object.values(curves).flatMap((c) => c.slice(1))
  const lo = Math.min(...shown), hi = Math.max(...shown), pad = 0.04 * (hi - lo)
  const xs = linear(1, PASSES, box.left, box.right)
  const ys = linear(lo - pad, hi + pad, box.bottom, box.top)
  axes(out, box, xs, ys, { xTitle: 'passes over the data', yTitle: 'mean log-likelihood per row', integerX: true })
  // names at the lines' ends, pushed apart where the ends are closer than a line of text
  const ends = Object.entries(curves).map(([name, c], m) => ({ name, m, y: ys(c.at(-1)) })).sort((a, b) => a.y - b.y)
  for (let i = 1; i < ends.length; i++) ends[i].y = Math.max(ends[i].y, ends[i - 1].y + 16)
  for (const { name, m, y } of ends) {
    const c = curves[name], color = componentColor(m)
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${c.slice(1).map((v, p) => `${xs(p + 1).toFixed(1)},${ys(v).toFixed(1)}`).join(' ')}"/>`)
    out.push(`<text x="${box.right + 10}" y="${(y + 4).toFixed(1)}" font-size="13" fill="${color}">${name}</text>`)
  }
  return close(out)
}

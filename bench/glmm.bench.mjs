// LogisticGLMM (MCEM): one MCEM iteration (Metropolis E-step of burn-in 100 + M = 1000
// sweeps, Newton M-step over the draws, Monte Carlo delta-Q and its SE, AGQ
// log-likelihood) on 200 groups x 10 binomial rows, wasm SIMD vs wasm scalar vs JS,
// the two kernels alone, and fits of 1,000 groups x 10 Bernoulli rows end to end (one
// run each: they take seconds): default settings per backend, and epsilon 0.005 on wasm.
import { mcemStepper } from '../dist/src/engine/variants/mcem.js'
import { LogisticGLMM } from '../dist/src/estimators/LogisticGLMM.js'
import { loadKernels } from '../dist/src/kernels/index.js'
import { LogisticGlmmModel } from '../dist/src/models/glmm/model.js'
import { BACKENDS, glmmData, medians, printTable, ratio } from './lib.mjs'

const M = 1000

/** The model on sorted rows (glmmData's rows are already grouped). */
function prepared(kernels, d) {
  const n = d.X.length, p = 3
  const z = new Float64Array(n * p)
  d.X.forEach((r, i) => { z[i * p] = 1; z[i * p + 1] = r[0]; z[i * p + 2] = r[1] })
  const starts = [0]
  for (let i = 1; i <= n; i++) if (i === n || d.groups[i] !== d.groups[i - 1]) starts.push(i)
  const model = new LogisticGlmmModel(kernels, { burnIn: 100, thin: 1, nAGQ: 25 })
  const data = model.prepare(z, n, p, Float64Array.from(d.y), Float64Array.from(d.trials), Int32Array.from(starts))
  return { model, data }
}

export async function run() {
  const d = glmmData(200, 10, { maxTrials: 5 })
  const rows = d.X.length
  const per = {}
  for (const b of BACKENDS) {
    const kernels = await loadKernels(b)
    const { model, data } = prepared(kernels, d)
    const stepper = mcemStepper(model, model.monteCarlo, { seed: 1, initialSamples: M, sampleSize: 'geometric', growth: 1 })
    const params = model.initialParams(data)
    stepper.step(data, params) // starts the chains
    // kernels alone: one E-step's sweeps, one M-step pass with Q
    const a = kernels.arena()
    const draws = a.f64(M * data.nGroups), q = a.f64(M)
    const B = data.buffers
    B.offset.view.set(model.linearPredictor(data, params.coef))
    per[b] = await medians([
      ['iteration', () => stepper.step(data, params)],
      ['sampler', () => kernels.glmmSampleIntercepts(B.state, B.offset, B.y, B.trials, B.groupStart, data.nGroups, 1, B.b, B.scale, B.current, 0, 1, M, draws, B.accept)],
      ['sums', () => kernels.glmmLogisticSums(B.offset, B.y, B.trials, B.group, rows, draws, M, data.nGroups, B.s, B.h, q)],
      ['sums (no Q)', () => kernels.glmmLogisticSums(B.offset, B.y, B.trials, B.group, rows, draws, M, data.nGroups, B.s, B.h, null)],
    ], { time: 1500, iterations: 5, warmupIterations: 1 })
    a.dispose()
    model.dispose(data)
  }
  const ms = (v) => v.toFixed(1)
  const rate = (v) => (rows * M / v / 1000).toFixed(1) // million row-draws per second
  console.log(`${rows} rows, 200 groups, M = ${M} draws`)
  printTable(
    ['task', 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'simd M row-draws/s', 'scalar / simd', 'js / simd'],
    ['iteration', 'sampler', 'sums', 'sums (no Q)'].map((t) => [t, ms(per.wasm.get(t)), ms(per['wasm-scalar'].get(t)), ms(per.js.get(t)),
      rate(per.wasm.get(t)), ratio(per['wasm-scalar'].get(t), per.wasm.get(t)), ratio(per.js.get(t), per.wasm.get(t))]),
  )

  const big = glmmData(1000, 10, { seed: 11 })
  const fits = []
  // default settings on every backend, then a tight stopping rule (to the MLE) on wasm
  const runs = [...BACKENDS.map((backend) => [backend, {}]), ['wasm', { epsilon: 0.005, initialSamples: 200 }]]
  for (const [backend, mcem] of runs) {
    const t0 = performance.now()
    const m = await new LogisticGLMM({ backend, seed: 1, mcem }).fit(big.X, big.y, { groups: big.groups })
    const ms = performance.now() - t0
    const its = m.fitResult.monteCarlo.iterations
    fits.push([backend + (mcem.epsilon ? `, epsilon ${mcem.epsilon}` : ''), (ms / 1000).toFixed(2), m.nIter, its.reduce((s, i) => s + i.samples, 0), its.at(-1).samples, m.intercept.toFixed(3), m.coefficients.map((c) => c.toFixed(3)).join(' '), m.randomEffectSD.toFixed(3), m.logLik.toFixed(2)])
  }
  console.log(`\nMCEM fit, 1,000 groups x 10 Bernoulli rows (truth: intercept -0.5, coefficients 1 -0.7, sd 1.2), seed 1`)
  printTable(['backend', 'seconds', 'iterations', 'draws (sum M)', 'last M', 'intercept', 'coefficients', 'sd', 'logLik'], fits)
}

// Shared helpers for the bench suites: seeded data, tinybench timing, tables.
import { Bench } from 'tinybench'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'

export const BACKENDS = ['wasm', 'wasm-scalar', 'js']

/** n x d rows from k Gaussian clusters, centres ~ N(0, spread^2) per coordinate, unit noise (seeded; spread 5: well separated). */
export function mixtureData(n, d, k, seed = 42, spread = 5) {
  const rng = new Rng(seed)
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => spread * rng.normal()))
  const data = new Float64Array(n * d)
  for (let i = 0; i < n; i++) {
    const c = rng.integer(k)
    for (let j = 0; j < d; j++) data[i * d + j] = centers[c][j] + rng.normal()
  }
  return { rows: n, cols: d, data }
}

/** Median milliseconds of each task (tinybench; at least `iterations` runs and `time` ms). */
export async function medians(tasks, { time = 400, iterations = 8, warmupIterations = 2 } = {}) {
  const bench = new Bench({ time, iterations, warmupIterations, warmup: true })
  for (const [name, fn] of tasks) bench.add(name, fn)
  await bench.run()
  const out = new Map()
  for (const task of bench.tasks) {
    if (task.result?.state === 'errored') throw task.result.error
    out.set(task.name, task.result.latency.p50)
  }
  return out
}

export function printTable(header, rows) {
  const cells = [header, ...rows].map((r) => r.map(String))
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j].length)))
  const line = (r) => '| ' + r.map((c, j) => c.padStart(widths[j])).join(' | ') + ' |'
  console.log(line(cells[0]))
  console.log('|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|')
  for (const r of cells.slice(1)) console.log(line(r))
}

export const ms = (v) => v.toFixed(v < 1 ? 3 : 2)
export const ratio = (a, b) => (a / b).toFixed(2) + 'x'

/**
 * Seeded data of a logistic random-intercept model: nGroups groups of perGroup rows,
 * two standard-normal covariates, binomial counts of 1..maxTrials trials.
 */
export function glmmData(nGroups, perGroup, { seed = 7, intercept = -0.5, coefficients = [1, -0.7], sigma = 1.2, maxTrials = 1 } = {}) {
  const rng = new Rng(seed)
  const X = [], y = [], trials = [], groups = []
  for (let g = 0; g < nGroups; g++) {
    const b = sigma * rng.normal()
    for (let j = 0; j < perGroup; j++) {
      const x = coefficients.map(() => rng.normal())
      const eta = intercept + x.reduce((s, v, k) => s + v * coefficients[k], 0) + b
      const t = 1 + rng.integer(maxTrials)
      let k = 0
      for (let r = 0; r < t; r++) if (rng.uniform() < 1 / (1 + Math.exp(-eta))) k++
      X.push(x); y.push(k); trials.push(t); groups.push(g)
    }
  }
  return { X, y, trials, groups, truth: { intercept, coefficients, sigma } }
}

/** How well this machine runs two CPU-bound threads at once right now (2.0 = two free cores). */
export async function machineScaling() {
  const { Worker } = await import('node:worker_threads')
  const code = `const { parentPort } = require('node:worker_threads'); let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; parentPort.postMessage(x)`
  const time = async (n) => {
    const t = performance.now()
    await Promise.all(Array.from({ length: n }, () => new Promise((r) => new Worker(code, { eval: true }).once('message', r))))
    return performance.now() - t
  }
  const one = await time(1), two = await time(2)
  return (2 * one) / two
}

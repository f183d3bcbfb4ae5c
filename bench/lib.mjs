// Shared helpers for the bench suites: seeded data, tinybench timing, tables.
import { Bench } from 'tinybench'
import { Rng } from '../dist/src/rng/xoshiro128.js'

export const BACKENDS = ['wasm', 'wasm-scalar', 'js']

/** n x d rows from k well-separated Gaussian clusters (seeded). */
export function mixtureData(n, d, k, seed = 42) {
  const rng = new Rng(seed)
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => 5 * rng.normal()))
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

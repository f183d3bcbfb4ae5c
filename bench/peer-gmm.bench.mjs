// One full-covariance EM iteration, emkit (wasm SIMD, one thread) vs scikit-learn 1.9.1
// on one thread (OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = 1), side by
// side in one run, both timed the same way: (fit(11) - fit(1)) / 10 from the same start
// (emkit's k-means++ start, given to both). Rounds alternate the two sides, so both see
// the same machine load; the table gives medians of the rounds, of the wall time and
// (last column) of the CPU time each process used, which time-slicing on a shared
// machine disturbs less. Needs python3 with
// scikit-learn (a benchmark peer only, never a dependency).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GaussianMixture } from '../dist/emkit.node.js'
import { mixtureData, ms, printTable } from './lib.mjs'

const SIZES = [[100000, 8, 8], [20000, 32, 8]]
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const script = fileURLToPath(new URL('./sklearn_gmm_iteration.py', import.meta.url))
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

/** [wall ms, CPU ms] of one iteration. */
async function emkitIteration(X, init, k) {
  const fit = async (maxIter) => {
    const t = performance.now(), c = cpuMs()
    await new GaussianMixture({ nComponents: k, covarianceType: 'full', init, maxIter, tol: 0, workers: 1 }).fit(X)
    return [performance.now() - t, cpuMs() - c]
  }
  const [w11, c11] = await fit(11), [w1, c1] = await fit(1)
  return [(w11 - w1) / 10, (c11 - c1) / 10]
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-peer-'))
  const rows = []
  try {
    for (const [n, d, k] of SIZES) {
      const X = mixtureData(n, d, k)
      const start = await new GaussianMixture({ nComponents: k, covarianceType: 'full', maxIter: 0, seed: 1 }).fit(X)
      const init = { weights: start.weights, means: start.means, covariances: start.covariances }
      const data = join(dir, 'x.f64'), startFile = join(dir, 'start.json')
      writeFileSync(data, X.data)
      writeFileSync(startFile, JSON.stringify(init))
      await emkitIteration(X, init, k) // warm up
      const ours = [], theirs = [], ratios = [], cpuRatios = []
      for (let r = 0; r < ROUNDS; r++) {
        const [e, ec] = await emkitIteration(X, init, k)
        const [s, sc] = JSON.parse(execFileSync('python3', [script, data, startFile, String(n), String(d), '1'], { env, encoding: 'utf8' }))[0]
        ours.push(e); theirs.push(s); ratios.push(e / s); cpuRatios.push(ec / sc)
      }
      rows.push([`(${n}, ${d}, ${k}) full`, ms(median(ours)), ms(median(theirs)), median(ratios).toFixed(3) + 'x', ratios.map((x) => x.toFixed(3)).join(' '), median(cpuRatios).toFixed(3) + 'x'])
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  printTable(['EM iteration, one thread', 'emkit ms', 'scikit-learn ms', 'emkit / sklearn (median)', 'per round', 'CPU-time ratio (median)'], rows)
}

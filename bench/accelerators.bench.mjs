// Evaluations and wall time to convergence: EM vs Aitken vs SQUAREM vs quasi-Newton,
// on Hasselblad's Poisson mixture, Old Faithful (GMM, K=3 full, tol 1e-10), Murray's
// t with missing values (ECM) and a seeded factor analysis.
import { readFileSync } from 'node:fs'
import { FactorAnalysis, GaussianMixture, MultivariateT, PoissonMixture, Rng } from '../dist/src/index.js'
import { printTable } from './lib.mjs'

const fixture = (name) => new URL(`../test/fixtures/${name}`, import.meta.url)
const json = (name) => JSON.parse(readFileSync(fixture(name), 'utf8'))
const csv = (name) => readFileSync(fixture(`data/${name}`), 'utf8').trim().split(/\r?\n/).slice(1)
  .map((l) => l.split(',').map(Number).filter((v) => !Number.isNaN(v)))

const ACCELERATORS = ['none', 'aitken', 'squarem', 'quasi-newton']
const REPEATS = 7

function factorRows(seed, n, d, q) {
  const rng = new Rng(seed)
  const L = Array.from({ length: d }, () => Array.from({ length: q }, () => rng.normal()))
  const psi = Array.from({ length: d }, () => 0.2 + rng.uniform())
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: q }, () => rng.normal())
    return L.map((row, j) => 3 + row.reduce((s, l, k) => s + l * z[k], 0) + Math.sqrt(psi[j]) * rng.normal())
  })
}

function cases() {
  const pois = json('05_squarem_poissmix.json')
  const [p0, l1, l2] = pois.starts.vignette.p0
  const faithful = csv('faithful.csv')
  const { weights, means, covariances } = json('01_gmm_sklearn_faithful.json').fits.find((f) => f.covariance_type === 'full' && f.K === 3).init
  const gmmStart = { weights, means, covariances } // init refuses the fixture's other keys
  const murray = json('published.json').murray_t_missing
  const M = murray.x1.map((v, i) => [v ?? NaN, murray.x2[i] ?? NaN])
  const fa = factorRows(7, 2000, 10, 3)
  return [
    {
      name: 'Hasselblad Poisson mixture (|dp| < 1e-8)',
      fit: (accelerate) => new PoissonMixture({ nComponents: 2, accelerate, tol: 1e-8, criterion: 'parameters', maxIter: 20000, init: { weights: [p0, 1 - p0], rates: [l1, l2] } })
        .fit(pois.dataset.death, { sampleWeight: pois.dataset.freq }),
    },
    {
      name: 'faithful GMM K=3 full (tol 1e-10)',
      fit: (accelerate) => new GaussianMixture({ nComponents: 3, accelerate, tol: 1e-10, maxIter: 10000, init: gmmStart }).fit(faithful),
    },
    {
      name: "Murray's t, ECM, nu0 = 10 (|dp| < 1e-8)",
      fit: (accelerate) => new MultivariateT({ algorithm: 'ecm', accelerate, tol: 1e-8, criterion: 'parameters', maxIter: 100000, init: { mean: [0, 0], scatter: [[38, 36.9865], [36.9865, 38]], nu: 10 } }).fit(M),
    },
    {
      name: 'factor analysis n=2000 d=10 q=3, seed 7 (tol 1e-12)',
      fit: (accelerate) => new FactorAnalysis({ nComponents: 3, accelerate, init: 'random', seed: 3, tol: 1e-12, maxIter: 100000 }).fit(fa),
    },
  ]
}

export async function run() {
  const rows = []
  for (const c of cases()) {
    for (const accelerate of ACCELERATORS) {
      await c.fit(accelerate) // warm-up
      const times = []
      let est
      for (let r = 0; r < REPEATS; r++) {
        const t0 = performance.now()
        est = await c.fit(accelerate)
        times.push(performance.now() - t0)
      }
      times.sort((a, b) => a - b)
      const res = est.fitResult
      rows.push([c.name, accelerate, res.status, String(res.nIter), String(res.fixedPointEvaluations), String(res.objectiveEvaluations),
        res.logLik.toFixed(6), times[REPEATS >> 1].toFixed(2)])
    }
  }
  printTable(['problem', 'accelerator', 'status', 'iterations', 'fixed-point evals', 'objective evals', 'log-likelihood', 'median ms'], rows)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()

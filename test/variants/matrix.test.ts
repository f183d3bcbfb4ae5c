import { describe, expect, it } from 'vitest'
import { FactorAnalysis, GaussianMixture, makeStepper, MultivariateT, PoissonMixture, TMixture, type Accelerate } from '../../src/index.js'
import { fixtureJson, fixtureMatrix } from '../helpers/data.js'
import { factorData, tData, tMixtureData } from '../helpers/synthetic.js'

/** Every accelerator on every model (and each model's algorithms): same maximum as plain EM, counts reported. */
const ACCELERATORS: Accelerate[] = ['none', 'aitken', 'squarem', 'quasi-newton', { method: 'aitken', jump: false }, { method: 'squarem', objectiveSlack: 0 }, { method: 'quasi-newton', secants: 1 }]
const faithful = fixtureMatrix('faithful.csv')
// scikit-learn's start, its parameters only (init refuses the fixture's other keys, such as the row indices)
const { weights, means, covariances } = fixtureJson('01_gmm_sklearn_faithful.json').fits.find((f: any) => f.covariance_type === 'full' && f.K === 3).init
const gmmStart = { weights, means, covariances }
const hasselblad = fixtureJson('05_squarem_poissmix.json').dataset
const tSample = tData(21, 300, 3, 0.1) // seed 21
const tmix = tMixtureData(22, 300) // seed 22
const fa = factorData(23, 300, 6, 2).X // seed 23

interface Case {
  name: string
  algorithms: string[]
  fit: (algorithm: any, accelerate: Accelerate) => Promise<{ fitResult: any }>
}

const CASES: Case[] = [
  {
    name: 'GaussianMixture (faithful, K=3, full)',
    algorithms: ['em'],
    fit: (algorithm, accelerate) => new GaussianMixture({ nComponents: 3, algorithm, accelerate, tol: 1e-9, maxIter: 5000, init: gmmStart }).fit(faithful),
  },
  {
    name: 'PoissonMixture (Hasselblad)',
    algorithms: ['em', 'gem'],
    fit: (algorithm, accelerate) => new PoissonMixture({ nComponents: 2, algorithm, accelerate, tol: 1e-12, maxIter: 20000, init: { weights: [0.3, 0.7], rates: [1, 2.5] } }).fit(hasselblad.death, { sampleWeight: hasselblad.freq }),
  },
  {
    name: 'MultivariateT (seed 21, 10% missing)',
    algorithms: ['em', 'ecm', 'ecme', 'px-em'],
    fit: (algorithm, accelerate) => new MultivariateT({ algorithm, accelerate, tol: 1e-12, maxIter: 20000 }).fit(tSample),
  },
  {
    name: 'TMixture (seed 22, K=2)',
    algorithms: ['ecme'],
    fit: (algorithm, accelerate) => new TMixture({ nComponents: 2, algorithm, accelerate, tol: 1e-10, maxIter: 20000, seed: 1 }).fit(tmix),
  },
  {
    name: 'FactorAnalysis (seed 23, q=2)',
    algorithms: ['em', 'ecm', 'ecme', 'px-em'],
    fit: (algorithm, accelerate) => new FactorAnalysis({ nComponents: 2, algorithm, accelerate, tol: 1e-12, maxIter: 20000 }).fit(fa),
  },
]

describe('every accelerator on every model', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const reference = (await c.fit(c.algorithms[0], "none")).fitResult.logLik
      const lines: string[] = []
      for (const algorithm of c.algorithms) {
        for (const accelerate of ACCELERATORS) {
          const est = await c.fit(algorithm, accelerate)
          const r = est.fitResult
          const label = `${algorithm}+${typeof accelerate === 'string' ? accelerate : JSON.stringify(accelerate)}`
          lines.push(`${label}: ${r.fixedPointEvaluations}/${r.objectiveEvaluations}`)
          expect(r.status, label).toBe('converged')
          expect(Math.abs(r.logLik - reference) / Math.abs(reference), label).toBeLessThan(1e-7)
          expect(r.fixedPointEvaluations).toBeGreaterThan(0)
          expect(r.objectiveEvaluations).toBeGreaterThan(r.nIter)
          expect(r.history.length).toBe(r.nIter + 1)
        }
      }
      console.log(`${c.name} (fixed-point/objective evaluations): ${lines.join(', ')}`)
    }, 60_000)
  }
})

describe('makeStepper', () => {
  it('names what a model supports when asked for what it cannot do', async () => {
    const { PoissonMixtureModel } = await import('../../src/models/poisson-mixture.js')
    const { jsKernels } = await import('../../src/kernels/js/index.js')
    const model = new PoissonMixtureModel(jsKernels, 2)
    expect(() => makeStepper(model, { algorithm: 'ecm' })).toThrow(/PoissonMixture cannot run algorithm 'ecm'.*supports 'em', 'gem'/)
    expect(() => makeStepper(model, { accelerate: 'turbo' as never })).toThrow(/Invalid option 'accelerate'/)
    expect(() => makeStepper(model, { accelerate: { method: 'quasi-newton', secants: 0 } })).toThrow(/secants must be an integer >= 1/)
    // every accelerator setting's rule and the settings named, word for word
    const refused: [object, string][] = [
      [{ method: 'squarem', stepLength: 4 }, 'stepLength must be 1, 2 or 3 (SqS1..SqS3), got 4.'],
      [{ method: 'squarem', stepMin0: Infinity }, 'stepMin0 must be a finite number, got Infinity.'],
      [{ method: 'squarem', objectiveSlack: 'x' }, 'objectiveSlack must be a finite number, got "x".'],
      [{ method: 'aitken', jump: 1 }, 'jump must be true or false, got 1.'],
      [{ method: 'quasi-newton', secants: 1.5 }, 'secants must be an integer >= 1, got 1.5.'],
      [{ method: 'squarem', secants: 2 }, "'squarem' has no setting 'secants'; its settings are stepLength, stepMin0, stepMax0, mstep, objectiveSlack."],
      [{ method: 'none', jump: true }, "'none' has no setting 'jump'; its settings are none."],
      [{ method: 'aitken', toString: 1 }, "'aitken' has no setting 'toString'; its settings are jump."],
    ]
    for (const [accelerate, message] of refused) expect(() => makeStepper(model, { accelerate } as never), message).toThrow(`Invalid option 'accelerate': ${message}`)
    // makeStepper's own checks of what it is given (an estimator's schema checks its algorithm, and its model is emkit's)
    expect(() => makeStepper(model, { algorithm: 'turbo' as never })).toThrow(/Invalid option 'algorithm': must be one of 'em'/)
    expect(() => makeStepper(null as never)).toThrow(/makeStepper needs a model object with eStep\(\), mStep\(\)/)
    expect(() => makeStepper({ name: 'half', eStep: () => null } as never)).toThrow(/The model 'half' has no mStep\(\): makeStepper needs/)
  })
})

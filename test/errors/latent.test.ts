/**
 * Mixtures and HMMs: K > n refused by all alike; far but finite points scored with
 * finite posteriors; sample(n) refused before allocating; integer limits named as
 * such; symbols never seen in training and left-right models with pseudo-counts.
 */
import { describe, expect, it } from 'vitest'
import {
  BayesianGaussianMixture, CategoricalHMM, GaussianHMM, GaussianMixture, GLMMixture, GMMHMM, InputError, OptionError, PoissonHMM, PoissonMixture, RegressionMixture, TMixture,
  VariationalCategoricalHMM, VariationalGaussianHMM,
} from '../../src/index.js'
import { type Case, catalog, counts, LATENT, subject, X } from './catalog.js'

const tooMany: Case[] = LATENT.map((name) => {
  const s = subject(name)
  const unit = name === 'PoissonMixture' || name === 'PoissonHMM' ? 'counts' : name === 'CategoricalHMM' ? 'observations' : 'rows'
  const members = name.endsWith('HMM') ? 'states' : 'components'
  return {
    name: `${name}: nComponents = 31 for 30 ${unit}`,
    run: () => s.fit(s.fresh({ nComponents: 31 })),
    error: InputError, code: 'TOO_MANY_COMPONENTS',
    message: new RegExp(`nComponents = 31 but X has only 30 ${unit}; use at most 30 ${members} or give more data`),
  }
})
// a start given in full does not lift the rule (as in GaussianMixture)
tooMany.push({
  name: 'PoissonHMM: nComponents = 4 for 3 counts, rates given',
  run: () => new PoissonHMM({ nComponents: 4, init: { rates: [1, 2, 3, 4] } }).fit([1, 2, 3]),
  error: InputError, code: 'TOO_MANY_COMPONENTS', message: /nComponents = 4 but X has only 3 counts; use at most 3 states/,
})
// the mixtures and HMMs outside the catalog's subjects: the variational HMMs and the regression mixtures
tooMany.push(
  { name: 'VariationalGaussianHMM: nComponents = 31 for 30 rows', run: () => new VariationalGaussianHMM({ nComponents: 31 }).fit(X), error: InputError, code: 'TOO_MANY_COMPONENTS', message: /nComponents = 31 but X has only 30 rows; use at most 30 states/ },
  { name: 'VariationalCategoricalHMM: nComponents = 31 for 30 observations', run: () => new VariationalCategoricalHMM({ nComponents: 31 }).fit(counts.map((c) => c % 3)), error: InputError, code: 'TOO_MANY_COMPONENTS', message: /nComponents = 31 but X has only 30 observations; use at most 30 states/ },
  { name: 'RegressionMixture: nComponents = 31 for 30 rows', run: () => new RegressionMixture({ nComponents: 31 }).fit(X, counts), error: InputError, code: 'TOO_MANY_COMPONENTS', message: /nComponents = 31 but X has only 30 rows; use at most 30 components/ },
  { name: 'GLMMixture: nComponents = 31 for 30 rows', run: () => new GLMMixture({ nComponents: 31, family: 'poisson' }).fit(X, counts), error: InputError, code: 'TOO_MANY_COMPONENTS', message: /nComponents = 31 but X has only 30 rows; use at most 30 components/ },
)
catalog('K > n is refused by every mixture and HMM', tooMany)

const fitted = async (make: () => { fit(x: unknown): Promise<unknown> }, data: unknown = X): Promise<any> => {
  const e = make()
  await e.fit(data)
  return e
}

catalog('sample(n) beyond what one call returns is refused before allocating', [
  ...[
    ['GaussianMixture', () => fitted(() => new GaussianMixture({ nComponents: 2 }))],
    ['BayesianGaussianMixture', () => fitted(() => new BayesianGaussianMixture({ nComponents: 2 }))],
    ['GaussianHMM', () => fitted(() => new GaussianHMM())],
    ['GMMHMM', () => fitted(() => new GMMHMM())],
    ['CategoricalHMM', () => fitted(() => new CategoricalHMM(), counts.map((c) => c % 3))],
    ['PoissonHMM', () => fitted(() => new PoissonHMM(), counts)],
  ].flatMap(([name, make]) => [
    {
      name: `${name as string}: sample(1e12)`, run: async () => (await (make as () => Promise<any>)()).sample(1e12),
      error: OptionError, code: 'INVALID_OPTION' as const, message: /'n': is 1000000000000: 1000000000000 draws of \d+ values are .* GiB as doubles\), more than the 134217728 \(2\^27\) one call returns; draw in batches/,
    },
    {
      name: `${name as string}: sample(2.5)`, run: async () => (await (make as () => Promise<any>)()).sample(2.5),
      error: OptionError, code: 'INVALID_OPTION' as const, message: /'n': must be an integer >= 1 \(the number of draws\), got 2\.5\./,
    },
  ]),
])

catalog('integer limits are named as such', [
  { name: 'CategoricalHMM: symbol 2^31', run: () => new CategoricalHMM().fit([0, 1, 2 ** 31, 1]), error: InputError, code: 'INVALID_DATA', message: /X\[2\] is 2147483648: symbols are 32-bit indices, at most 2\^31 - 1 = 2147483647; recode the symbols/ },
  { name: 'CategoricalHMM: symbol 2^31 - 1 (an emission table beyond memory)', run: () => new CategoricalHMM().fit([0, 1, 2 ** 31 - 1, 1]), error: InputError, code: 'INVALID_DATA', message: /X holds symbol 2147483647, so the emission table would hold nComponents x nSymbols = 2 x 2147483648 = \d+ probabilities, more than the 67108864 \(2\^26\) emkit holds; .*recode them/ },
  { name: 'CategoricalHMM: nSymbols 2^31 + 1', run: () => new CategoricalHMM({ nSymbols: 2 ** 31 + 1 }), error: OptionError, code: 'INVALID_OPTION', message: /'nSymbols': is 2147483649: symbols are 32-bit indices, so at most 2\^31 = 2147483648 of them/ },
  { name: 'CategoricalHMM: nSymbols 1e9', run: () => new CategoricalHMM({ nSymbols: 1e9 }), error: OptionError, code: 'INVALID_OPTION', message: /'nSymbols': is 1000000000: the emission table would hold/ },
  { name: 'PoissonHMM: count 2^53', run: () => new PoissonHMM().fit([0, 1, 2 ** 53, 1]), error: InputError, code: 'INVALID_DATA', message: /X\[2\] is 9007199254740992: counts above 2\^53 - 1 = 9007199254740991 \(Number\.MAX_SAFE_INTEGER\) are not exact integers/ },
  { name: 'PoissonHMM: count 2^31 is a count like any other', run: () => new PoissonHMM().fit([0, 1, 2 ** 31, 'x' as never]), error: InputError, code: 'INVALID_DATA', message: /X\[3\] is "x", not a number/ },
  { name: 'PoissonMixture: count 1e300', run: () => new PoissonMixture().fit([0, 1, 1e300, 1]), error: InputError, code: 'INVALID_DATA', message: /Count 2 is 1e\+300: counts above 2\^53 - 1/ },
  { name: 'PoissonMixture: count -1', run: () => new PoissonMixture().fit([0, 1, -1, 1]), error: InputError, code: 'INVALID_DATA', message: /Count 2 is -1; counts must be non-negative integers; round or drop it/ },
  { name: 'PoissonMixture: count NaN', run: () => new PoissonMixture().fit([0, NaN, 1, 1]), error: InputError, code: 'INVALID_DATA', message: /Count 1 is NaN; counts must be non-negative integers/ },
])

describe('far but finite points: posteriors stay finite (stable log-sum-exp of the Mahalanobis terms)', () => {
  const far = [[1e200, 0, 0], [-1e200, 1e200, 3], [1e100, 0, 0], [1e160, 1e160, 1e160], [1, 2, 3]]
  const checkRows = (rows: number[][]): void => {
    for (const r of rows) {
      for (const p of r) expect(Number.isFinite(p) && p >= 0 && p <= 1).toBe(true)
      expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    }
  }
  for (const covarianceType of ['full', 'diag', 'spherical', 'tied'] as const) {
    it(`GaussianMixture, BayesianGaussianMixture, GaussianHMM, GMMHMM (${covarianceType})`, async () => {
      const models = [
        await fitted(() => new GaussianMixture({ nComponents: 2, covarianceType })),
        await fitted(() => new BayesianGaussianMixture({ nComponents: 2, covarianceType })),
      ]
      for (const m of models) {
        checkRows(m.predictProba(far))
        const s = m.scoreSamples(far) as number[]
        // below -Number.MAX_VALUE the log-density is -Infinity (documented), never NaN
        for (const v of s) expect(Number.isNaN(v) || v === Infinity).toBe(false)
        expect(s[4]).toBeGreaterThan(-50)
        expect(m.predict(far)).toHaveLength(5)
      }
      for (const m of [await fitted(() => new GaussianHMM({ covarianceType })), await fitted(() => new GMMHMM({ nMix: 2, covarianceType }))]) {
        checkRows(m.predictProba(far))
        const { logProb, posteriors } = m.scoreSamples(far)
        expect(Number.isNaN(logProb)).toBe(false)
        checkRows(posteriors)
        // a lone far point in its own sequence, and between ordinary ones
        checkRows(m.predictProba([[1, 2, 3], [1e200, -1e200, 0], [4, 4, 1]]))
        expect(m.predict(far)).toHaveLength(5)
      }
    })
  }

  it('TMixture and MultivariateT: t densities of far points are finite, and computed', async () => {
    const t = await fitted(() => new TMixture({ nComponents: 2 }))
    checkRows(t.predictProba(far))
    for (const v of t.scoreSamples(far)) expect(Number.isFinite(v)).toBe(true)
    const { MultivariateT } = await import('../../src/index.js')
    const mt = await fitted(() => new MultivariateT())
    const s = mt.scoreSamples(far) as number[]
    for (const v of s) expect(Number.isFinite(v)).toBe(true)
    // -(nu + d)/2 log(D / nu) grows like log of the distance: twice as far is log 2 times (nu + d)/2 less
    const nu = mt.degreesOfFreedom
    const [a, b] = mt.scoreSamples([[1e200, 0, 0], [2e200, 0, 0]]) as number[]
    expect(a! - b!).toBeCloseTo((nu + 3) * Math.LN2, 6)
  })

  it('PoissonMixture and PoissonHMM: huge counts', async () => {
    const pm = await fitted(() => new PoissonMixture(), counts)
    checkRows(pm.predictProba([1e15, 2 ** 52, 3]))
    for (const v of pm.scoreSamples([1e15, 2 ** 52, 3])) expect(Number.isFinite(v)).toBe(true)
    const ph = await fitted(() => new PoissonHMM(), counts)
    checkRows(ph.predictProba([1e15, 2 ** 52, 3]))
  })

  it('RegressionMixture (Gaussian): a response far from every component\'s line has finite posteriors', async () => {
    const Z = X.map((r) => [r[0]!, r[1]!])
    const response = Z.map((r, i) => (i % 2 ? 2 * r[0]! + 1 : -r[1]! + 4) + Math.sin(i * 12.9898) * 0.3)
    const rm = await new RegressionMixture({ nComponents: 2, seed: 1 }).fit(Z, response)
    const farX = [[1e200, 0], [1, 2], [-1e200, 1e200], [1e100, 0]]
    const farY = [1e200, 1e200, 0, 3]
    checkRows(rm.predictProba(farX, farY))
    const s = rm.scoreSamples(farX, farY) as number[]
    for (const v of s) expect(Number.isNaN(v) || v === Infinity).toBe(false)
    expect(rm.predict(farX, farY)).toHaveLength(4)
    // ordinary rows beside them are scored as alone
    const near = [Z[0]!, Z[1]!], nearY = [response[0]!, response[1]!]
    const mixed = rm.predictProba([near[0]!, [1e200, 0], near[1]!], [nearY[0]!, 1e200, nearY[1]!])
    expect([mixed[0], mixed[2]]).toEqual(rm.predictProba(near, nearY))
  })

  it('a far point between ordinary ones leaves their posteriors as they were', async () => {
    const gm = await fitted(() => new GaussianMixture({ nComponents: 2 }))
    const near = [[1, 2, 3], [4, 4, 1]]
    const alone = gm.predictProba(near), withFar = gm.predictProba([near[0]!, [1e200, 0, 0], near[1]!])
    expect([withFar[0], withFar[2]]).toEqual(alone)
    expect(gm.scoreSamples([near[0]!, [1e200, 0, 0], near[1]!])[0]).toBe(gm.scoreSamples(near)[0])
  })
})

describe('HMMs: left-right models with pseudo-counts, and symbols never seen', () => {
  const regimes = Array.from({ length: 60 }, (_, t) => [(t < 20 ? 0 : t < 40 ? 5 : 10) + Math.sin(t * 1.7)])
  const leftRight = { startProb: [1, 0, 0], transMat: [[0.9, 0.1, 0], [0, 0.9, 0.1], [0, 0, 1]] }

  it('a scalar pseudoCounts.transMat keeps the forbidden moves at zero (as hmmlearn) and the log-likelihood finite', async () => {
    const hmm = await new GaussianHMM({ nComponents: 3, init: leftRight, pseudoCounts: { transMat: 1, startProb: 1 } }).fit(regimes)
    expect(Number.isFinite(hmm.logLik)).toBe(true)
    expect(['converged', 'max-iter']).toContain(hmm.status)
    const A = hmm.transMat
    expect([A[1]![0], A[2]![0], A[2]![1], A[0]![2]]).toEqual([0, 0, 0, 0])
    expect(hmm.startProb.slice(1)).toEqual([0, 0])
    for (const row of A) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    // the pseudo-counts smooth the allowed moves
    const plain = await new GaussianHMM({ nComponents: 3, init: leftRight }).fit(regimes)
    expect(A[0]![1]).not.toBe(plain.transMat[0]![1])
  })

  const unseen = async (): Promise<CategoricalHMM> => new CategoricalHMM({ nComponents: 2, nSymbols: 4 }).fit([0, 1, 1, 0, 3, 3, 1, 0, 3])
  catalog('a symbol never seen in training is a typed error, not rows of zeros', ([
    ['predictProba', (h: CategoricalHMM) => h.predictProba([0, 2, 1])],
    ['scoreSamples', (h: CategoricalHMM) => h.scoreSamples([0, 2, 1])],
    ['score', (h: CategoricalHMM) => h.score([0, 2, 1])],
    ['predict', (h: CategoricalHMM) => h.predict([0, 2, 1])],
    ['decode (map)', (h: CategoricalHMM) => h.decode([0, 2, 1], { algorithm: 'map' })],
  ] as const).map(([call, f]) => ({
    name: `CategoricalHMM.${call}`, run: async () => f(await unseen()), error: InputError, code: 'INVALID_DATA' as const,
    message: /X\[1\] \(symbol 2\) has probability 0 under every state, so the data cannot be scored: a symbol the training data never showed has emission probability 0 in every state; fit on data that contain it/,
  })))

  catalog('data the chain forbids, and bad lengths', [
    {
      name: 'CategoricalHMM: a sequence a left-right model cannot emit',
      run: () => new CategoricalHMM({ nComponents: 2, init: { startProb: [1, 0], transMat: [[0.5, 0.5], [0, 1]], emissionProb: [[1, 0], [0, 1]] } }).predictProba([0, 1, 0, 1, 0], { lengths: [2, 3] }),
      error: InputError, code: 'INVALID_DATA',
      message: /Sequence 1 has probability 0 under the model: no path of states allowed by startProb and transMat reaches X\[4\] \(step 2 of the sequence\) in a state that can emit it; .*Give those moves a positive probability/,
    },
    { name: 'GaussianHMM: lengths of BigInts', run: () => new GaussianHMM().fit(X, { lengths: [10n, 20n] as never }), error: InputError, code: 'INVALID_DATA', message: /lengths\[0\] is 10n, a BigInt: convert it with Number/ },
    { name: 'GaussianHMM: lengths a BigInt64Array', run: () => new GaussianHMM().fit(X, { lengths: BigInt64Array.of(10n, 20n) as never }), error: InputError, code: 'INVALID_DATA', message: /lengths\[0\] is 10n, a BigInt/ },
    { name: 'GaussianHMM: lengths a string', run: () => new GaussianHMM().fit(X, { lengths: '30' as never }), error: InputError, code: 'INVALID_DATA', message: /lengths must be a non-empty array of sequence lengths .*got "30"/ },
    { name: 'GaussianHMM: lengths with a string', run: () => new GaussianHMM().fit(X, { lengths: [10, '20'] as never }), error: InputError, code: 'INVALID_DATA', message: /lengths\[1\] is "20", not a number/ },
    { name: 'PoissonHMM: lengths with NaN', run: () => new PoissonHMM().fit(counts, { lengths: [10, NaN] }), error: InputError, code: 'INVALID_DATA', message: /lengths\[1\] is NaN; sequence lengths must be positive integers/ },
    { name: "GaussianHMM.predict: option 'length'", run: async () => (await fitted(() => new GaussianHMM())).predict(X, { length: [30] } as never), error: OptionError, code: 'INVALID_OPTION', message: /GaussianHMM\.predict\(\) has no option 'length'; did you mean 'lengths'\?/ },
    { name: "GaussianHMM.decode: option 'algoritm'", run: async () => (await fitted(() => new GaussianHMM())).decode(X, { algoritm: 'map' } as never), error: OptionError, code: 'INVALID_OPTION', message: /has no option 'algoritm'; did you mean 'algorithm'\?/ },
  ])
})

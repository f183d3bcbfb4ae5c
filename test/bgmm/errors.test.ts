/**
 * Bad input to BayesianGaussianMixture: typed EmkitErrors that name the option and
 * say what to do, at construction where the options alone decide, at fit where the
 * data's shape does.
 */
import { describe, expect, it } from 'vitest'
import { BayesianGaussianMixture, EmkitError, InputError, OptionError, UnsupportedError } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'
import { rejection, thrownBy } from '../helpers/errors.js'

const X = fixtureMatrix('faithful.csv')

function expectOptionError(e: EmkitError, option: string, remedy: RegExp): void {
  expect(e).toBeInstanceOf(OptionError)
  expect(e.code).toBe('INVALID_OPTION')
  expect(e.details['option']).toBe(option)
  expect(e.message).toContain(`'${option}'`)
  expect(e.message).toMatch(remedy)
}

describe('priors refused at construction', () => {
  for (const [option, value] of [
    ['weightConcentrationPrior', 0], ['weightConcentrationPrior', -1], ['weightConcentrationPrior', NaN],
    ['meanPrecisionPrior', 0], ['meanPrecisionPrior', -0.5], ['meanPrecisionPrior', Infinity],
  ] as const) {
    it(`${option} = ${value}`, () => {
      expectOptionError(thrownBy(() => new BayesianGaussianMixture({ [option]: value })), option, /must be a finite number > 0, got/)
    })
  }

  it('degrees of freedom that no data could accept', () => {
    for (const v of [0, -3, NaN]) expectOptionError(thrownBy(() => new BayesianGaussianMixture({ degreesOfFreedomPrior: v })), 'degreesOfFreedomPrior', /greater than nFeatures - 1 .*leave it out/)
  })

  it('a covariance prior of the wrong kind for the covariance type', () => {
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ covarianceType: 'full', covariancePrior: 2 as never })), 'covariancePrior', /must be a d x d matrix/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ covarianceType: 'diag', covariancePrior: [[1, 0], [0, 1]] as never })), 'covariancePrior', /array of variances/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ covarianceType: 'spherical', covariancePrior: [1, 2] as never })), 'covariancePrior', /one variance/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ covarianceType: 'spherical', covariancePrior: -1 })), 'covariancePrior', /> 0/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ covariancePrior: [[1, 'a']] as never })), 'covariancePrior', /finite numbers/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ meanPrior: [1, NaN] })), 'meanPrior', /finite numbers/)
  })

  it('misspelt names and values get suggestions', () => {
    expect(() => new BayesianGaussianMixture({ weightConcentrationPrio: 1 } as never)).toThrow(/did you mean 'weightConcentrationPrior'/)
    expect(() => new BayesianGaussianMixture({ weightConcentrationPriorType: 'dirichlet_proces' as never })).toThrow(/did you mean 'dirichlet_process'/)
    expect(() => new BayesianGaussianMixture({ init: 'k-means' as never })).toThrow(/did you mean 'kmeans'/)
    expect(() => new BayesianGaussianMixture({ algorithm: 'em' as never })).toThrow(UnsupportedError)
  })
})

describe('priors refused at fit, against the data (d = 2)', () => {
  it('degrees of freedom not above d - 1', async () => {
    expectOptionError(await rejection(new BayesianGaussianMixture({ degreesOfFreedomPrior: 0.9 }).fit(X)), 'degreesOfFreedomPrior', /greater than nFeatures - 1 = 1 .*use at least 2/)
    await new BayesianGaussianMixture({ degreesOfFreedomPrior: 1.01 }).fit(X)
  })

  it('a covariance prior of the wrong shape, not symmetric, or not positive definite', async () => {
    const fit = (covarianceType: 'full' | 'tied' | 'diag', covariancePrior: unknown) => rejection(new BayesianGaussianMixture({ covarianceType, covariancePrior: covariancePrior as never }).fit(X))
    expectOptionError(await fit('full', [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 'covariancePrior', /must be a 2 x 2 matrix.*symmetric positive definite/)
    expectOptionError(await fit('tied', [[1, 0.5], [0.4, 1]]), 'covariancePrior', /not symmetric.*\[1\]\[0\]/)
    expectOptionError(await fit('full', [[1, 2], [2, 1]]), 'covariancePrior', /not positive definite.*give a symmetric positive definite 2 x 2 matrix/)
    expectOptionError(await fit('diag', [1, 2, 3]), 'covariancePrior', /must be 2 variances/)
    expectOptionError(await fit('diag', [1, 0]), 'covariancePrior', /variance 1 is 0; every variance must be > 0/)
  })

  it('a mean prior of the wrong length', async () => {
    expectOptionError(await rejection(new BayesianGaussianMixture({ meanPrior: [1, 2, 3] }).fit(X)), 'meanPrior', /has 3 entries but X has 2 features; give one value per feature/)
  })
})

describe('starting responsibilities that are not rows of probabilities', () => {
  const rows = (f: (i: number) => number[]) => X.map((_, i) => f(i))

  it('entries outside [0, 1], rows not summing to 1, rows of the wrong length: at construction', () => {
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ nComponents: 2, init: { responsibilities: rows(() => [1.5, -0.5]) } })), 'init', /\[0\]\[0\] is 1\.5; responsibilities are probabilities in \[0, 1\]/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ nComponents: 2, init: { responsibilities: rows((i) => (i === 7 ? [0.5, 0.6] : [1, 0])) } })), 'init', /\[7\] sums to 1\.1; each row must sum to 1: divide it by its sum/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ nComponents: 3, init: { responsibilities: rows(() => [1, 0]) } })), 'init', /has 2 entries but nComponents = 3/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ init: { responsibilities: 3 } as never })), 'init', /array of rows/)
    expectOptionError(thrownBy(() => new BayesianGaussianMixture({ init: { responsibility: [] } as never })), 'init', /no entry 'responsibility'/)
  })

  it('a row count other than the number of samples: at fit', async () => {
    const bgm = new BayesianGaussianMixture({ nComponents: 2, init: { responsibilities: [[1, 0], [0, 1]] } })
    expectOptionError(await rejection(bgm.fit(X)), 'init', /has 2 rows but X has 272; give one row of responsibilities per sample/)
  })
})

describe('data and calls', () => {
  it('more components than rows, NaN, another number of features, an unfitted model', async () => {
    const few = await rejection(new BayesianGaussianMixture({ nComponents: 5 }).fit(X.slice(0, 3)))
    expect(few).toBeInstanceOf(InputError)
    expect(few.code).toBe('TOO_MANY_COMPONENTS')
    expect(few.message).toMatch(/use at most 3 components/)
    expect((await rejection(new BayesianGaussianMixture().fit([[1, 2], [NaN, 3], [2, 2]]))).code).toBe('NON_FINITE')
    const bgm = await new BayesianGaussianMixture({ nComponents: 2 }).fit(X)
    expect(thrownBy(() => bgm.predict([[1, 2, 3]])).code).toBe('SHAPE_MISMATCH')
    expect(thrownBy(() => new BayesianGaussianMixture().predict(X)).code).toBe('NOT_FITTED')
    expect(thrownBy(() => new BayesianGaussianMixture().weights).code).toBe('NOT_FITTED')
  })

  it('no likelihood, BIC or AIC: a variational fit is compared by its bound', async () => {
    const bgm = await new BayesianGaussianMixture({ nComponents: 2 }).fit(X)
    for (const f of [() => bgm.logLik, () => bgm.bic(), () => bgm.aic()]) {
      const e = thrownBy(f)
      expect(e).toBeInstanceOf(UnsupportedError)
      expect(e.message).toMatch(/elbo/)
    }
    expect(thrownBy(() => bgm.score(undefined as never)).code).toBe('INVALID_DATA')
  })
})

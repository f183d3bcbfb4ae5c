/**
 * Bad priors of the variational HMMs: typed OptionErrors naming the option and the
 * remedy, when the estimator is made where the options alone show it, else at fit
 * (where the number of features comes from X).
 */
import { describe, expect, it } from 'vitest'
import { OptionError, VariationalCategoricalHMM, VariationalGaussianHMM } from '../../src/index.js'

const X = Array.from({ length: 40 }, (_, i) => [(i % 2) * 3 + Math.sin(i), Math.cos(i * 0.7)])
const symbols = Array.from({ length: 40 }, (_, i) => (i * 7) % 3)

/** The OptionError thrown by `run` (sync or async): its option and message. */
async function optionError(run: () => unknown): Promise<{ option: unknown; message: string }> {
  try {
    await run()
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError)
    const err = e as OptionError
    return { option: err.details['option'], message: err.message }
  }
  throw new Error('expected an OptionError')
}

const made = (options: object) => () => new VariationalGaussianHMM({ nComponents: 3, ...options })
const fitted = (options: object) => () => new VariationalGaussianHMM({ nComponents: 3, ...options }).fit(X)

describe('variational HMMs: bad priors are typed errors naming the option and the remedy', () => {
  it.each([
    ['startProbPrior', { startProbPrior: 0 }, /Dirichlet concentrations must be finite and > 0/],
    ['startProbPrior', { startProbPrior: -1 }, /> 0/],
    ['startProbPrior', { startProbPrior: [1, 2] }, /shape \[3\]/],
    ['startProbPrior', { startProbPrior: 'flat' }, /one concentration > 0, or K of them/],
    ['transMatPrior', { transMatPrior: [[1, 1, 1], [1, 1, 1], [1, -0.5, 1]] }, /entry 7 is -0.5/],
    ['transMatPrior', { transMatPrior: Infinity }, /finite and > 0/],
    ['betaPrior', { betaPrior: 0 }, /mean precisions must be finite and > 0/],
    ['betaPrior', { betaPrior: [1, -1, 1] }, /entry 1 is -1/],
    ['dofPrior', { covarianceType: 'diag', dofPrior: 0 }, /> 0 \(a Gamma prior needs it/],
    ['dofPrior', { covarianceType: 'full', dofPrior: -1 }, /> nFeatures - 1 \(a Wishart prior/],
    ['scalePrior', { covarianceType: 'diag', scalePrior: [1, 0] }, /not > 0/],
    ['scalePrior', { covarianceType: 'full', scalePrior: [1, 1] }, /'full' must be a 2 x 2 matrix \(for every state\) or 3 of them/],
    ['dofPrior', { covarianceType: 'full', meansPrior: [0, 0], dofPrior: 1 }, /> 1 \(a Wishart prior in 2 dimensions needs > nFeatures - 1 = 1/],
    ['dofPrior', { covarianceType: 'tied', scalePrior: [[1, 0], [0, 1]], dofPrior: [3, 3, 3] }, /'tied' must be one number/],
    ['scalePrior', { covarianceType: 'full', scalePrior: [[1, 2], [2, 1]] }, /not positive definite; give symmetric positive definite 2 x 2 matrices/],
    ['scalePrior', { covarianceType: 'full', scalePrior: [[1, 0.5], [0, 1]] }, /not symmetric/],
    ['scalePrior', { covarianceType: 'tied', scalePrior: [[[1, 0], [0, 1]]] }, /'tied' must be one 2 x 2 matrix/],
    ['scalePrior', { covarianceType: 'spherical', scalePrior: -1 }, /not > 0/],
    ['scalePrior', { covarianceType: 'spherical', scalePrior: [1, 2] }, /shape \[3\]/],
    ['meansPrior', { meansPrior: [[0, 0], [1, 1]] }, /3 states and 2 features; give 2 values/],
  ])('%s %j, when the estimator is made', async (option, options, message) => {
    const err = await optionError(made(options))
    expect(err.option).toBe(option)
    expect(err.message).toMatch(message)
    expect(err.message).toMatch(/leave (it|the option) out|give /)
  })

  it.each([
    ['meansPrior', { meansPrior: [0, 0, 0] }, /has 3 entries but the model has 3 states and 2 features; give 2 values/],
    ['dofPrior', { covarianceType: 'full', dofPrior: 0.5 }, /> 1 \(a Wishart prior in 2 dimensions/],
    ['dofPrior', { covarianceType: 'tied', dofPrior: 1 }, /> 1/],
    ['scalePrior', { covarianceType: 'diag', scalePrior: [1, 1, 1] }, /'diag' must be 2 positive numbers \(for every state\) or 3 rows of 2/],
    ['scalePrior', { covarianceType: 'full', scalePrior: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }, /'full' must be a 2 x 2 matrix/],
  ])('%s %j, at fit (the number of features from X)', async (option, options, message) => {
    expect(made(options)).not.toThrow()
    const err = await optionError(fitted(options))
    expect(err.option).toBe(option)
    expect(err.message).toMatch(message)
  })

  it('categorical: emissionProbPrior of the wrong shape or sign, or against nSymbols', async () => {
    let err = await optionError(() => new VariationalCategoricalHMM({ nComponents: 2, emissionProbPrior: 0 }).fit(symbols))
    expect(err.option).toBe('emissionProbPrior')
    expect(err.message).toMatch(/finite and > 0/)
    err = await optionError(() => new VariationalCategoricalHMM({ nComponents: 2, nSymbols: 3, emissionProbPrior: [[1, 1], [1, 1]] }))
    expect(err.message).toMatch(/has 2 columns but nSymbols is 3/)
    err = await optionError(() => new VariationalCategoricalHMM({ nComponents: 2, emissionProbPrior: [[1, 1, 1], [1, -1, 1]] }))
    expect(err.message).toMatch(/entry 4 is -1/)
    err = await optionError(() => new VariationalCategoricalHMM({ nComponents: 2, emissionProbPrior: [[1, 1, 1]] }))
    expect(err.message).toMatch(/shape \[2, 3\]/)
  })
})

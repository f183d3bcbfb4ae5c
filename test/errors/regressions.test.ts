/**
 * Regressions: separated data (all successes, all failures, or X splitting them) are a
 * degenerate fit with a message saying so, never 'converged' or 'max-iter' with a huge
 * estimate; responses and weights that are not numbers are typed errors.
 */
import { describe, expect, it } from 'vitest'
import { DegenerateError, fitEM, InputError, LogisticGLMM, OptionError, ProbitRegression, TobitRegression } from '../../src/index.js'
import { loadKernels } from '../../src/kernels/index.js'
import { ProbitModel } from '../../src/models/probit.js'
import { type Case, catalog, groups, X, y, yBinary } from './catalog.js'

const Z = Array.from({ length: 40 }, (_, i) => [i / 10 - 2, Math.sin(i)])
const separable = Z.map((r) => (r[0]! > 0 ? 1 : 0))
const ones = Z.map(() => 1), zeros = Z.map(() => 0)
const glmmGroups = Z.map((_, i) => i % 5)
const quick = { maxIter: 30, mcem: { initialSamples: 50 } }

const splitBy = /The data are separated: the columns of X separate the successes from the failures .* the maximum-likelihood estimate does not exist and the coefficients grow without bound \(the largest reached [\d.e+]+\)\. Remove or merge the separating columns/
const every = (outcome: string) => new RegExp(`The data are separated: every row is a ${outcome}, so the probability of ${outcome} has no finite maximum-likelihood estimate .*Give data where both outcomes occur`)

catalog('separated data make a degenerate fit that says why', [
  ...(['em', 'px-em'] as const).flatMap((algorithm): Case[] => [
    { name: `ProbitRegression (${algorithm}): X splits y`, run: () => new ProbitRegression({ algorithm }).fit(Z, separable), error: DegenerateError, code: 'DEGENERATE', message: splitBy },
    { name: `ProbitRegression (${algorithm}): all successes`, run: () => new ProbitRegression({ algorithm }).fit(Z, ones), error: DegenerateError, code: 'DEGENERATE', message: every('success') },
    { name: `ProbitRegression (${algorithm}): all failures`, run: () => new ProbitRegression({ algorithm }).fit(Z, zeros), error: DegenerateError, code: 'DEGENERATE', message: every('failure') },
  ]),
  { name: 'ProbitRegression: separated once the rows of weight 0 are left out', run: () => new ProbitRegression().fit(Z, separable.map((v, i) => (i === 3 ? 1 - v : v)), { sampleWeight: Z.map((_, i) => (i === 3 ? 0 : 1)) }), error: DegenerateError, code: 'DEGENERATE', message: splitBy },
  { name: 'LogisticGLMM: X splits y', run: () => new LogisticGLMM(quick).fit(Z, separable, { groups: glmmGroups }), error: DegenerateError, code: 'DEGENERATE', message: splitBy },
  { name: 'LogisticGLMM: all successes', run: () => new LogisticGLMM(quick).fit(Z, ones, { groups: glmmGroups }), error: DegenerateError, code: 'DEGENERATE', message: every('success') },
  { name: 'LogisticGLMM: all failures', run: () => new LogisticGLMM(quick).fit(Z, zeros, { groups: glmmGroups }), error: DegenerateError, code: 'DEGENERATE', message: every('failure') },
  { name: 'LogisticGLMM: binomial rows, every trial a success', run: () => new LogisticGLMM(quick).fit(Z, Z.map(() => 3), { groups: glmmGroups, trials: Z.map(() => 3) }), error: DegenerateError, code: 'DEGENERATE', message: every('success') },
])

describe('separation', () => {
  it('the estimator finds the run degenerate where the engine alone, which knows no separation, runs to maxIter', async () => {
    const fit = await new ProbitRegression().fit(Z, separable).catch((e: unknown) => e)
    expect(fit).toBeInstanceOf(DegenerateError)
    // fitEM alone has no notion of separation: it runs to maxIter, the estimate growing
    const model = new ProbitModel(await loadKernels('js'))
    const z = Float64Array.from(Z.flatMap((r) => [1, ...r]))
    const data = model.prepare(z, Z.length, 3, Uint8Array.from(separable), new Float64Array(Z.length).fill(1))
    const result = await fitEM(model, data, model.initialParams(data), { maxIter: 200, criterion: 'parameters', tol: 1e-9 })
    expect(result.status).toBe('max-iter')
  })

  it('a short run that has not yet reached a separating direction is still found degenerate (a direction is searched for)', async () => {
    // separated by X's first column at 2, with rows close to the boundary: 50 EM iterations leave coefficients that misclassify some
    const W = Array.from({ length: 40 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3)])
    const split = W.map((r) => (r[0]! > 2 ? 1 : 0))
    for (const maxIter of [5, 50, 200]) {
      const err = await new ProbitRegression({ maxIter }).fit(W, split).catch((e: unknown) => e)
      expect(err, `maxIter ${maxIter}`).toBeInstanceOf(DegenerateError)
      expect((err as DegenerateError).message).toMatch(splitBy)
    }
    // one row on the wrong side: no separation, no alarm
    const noisy = split.map((v, i) => (i === 0 ? 1 - v : v))
    expect((await new ProbitRegression({ maxIter: 50 }).fit(W, noisy)).status).not.toBe('degenerate')
  })

  it('data with both outcomes on both sides still fit (no false alarm)', async () => {
    const noisy = Z.map((r, i) => (r[0]! + Math.sin(i * 7) > 0 ? 1 : 0))
    const probit = await new ProbitRegression().fit(Z, noisy)
    expect(probit.status).toBe('converged')
    const glmm = await new LogisticGLMM(quick).fit(Z, noisy, { groups: glmmGroups })
    expect(['converged', 'max-iter']).toContain(glmm.status)
    expect(Math.abs(glmm.intercept)).toBeLessThan(5)
  })
})

catalog('regression responses, weights and call options', [
  { name: 'TobitRegression: y of BigInts', run: () => new TobitRegression().fit(X, y.map((v) => BigInt(Math.round(v))) as never), error: InputError, code: 'NON_FINITE', message: /y\[0\] is -?\d+n, a BigInt: convert it with Number/ },
  { name: 'ProbitRegression: y of BigInts', run: () => new ProbitRegression().fit(X, yBinary.map((v) => BigInt(v)) as never), error: InputError, code: 'INVALID_DATA', message: /y\[0\] is \dn, a BigInt: convert it with Number/ },
  { name: 'LogisticGLMM: y of BigInts', run: () => new LogisticGLMM().fit(X, yBinary.map((v) => BigInt(v)) as never, { groups }), error: InputError, code: 'INVALID_DATA', message: /y\[0\] is \dn, a BigInt: convert it with Number/ },
  { name: 'TobitRegression: sampleWeight of BigInts', run: () => new TobitRegression().fit(X, y, { sampleWeight: X.map(() => 1n) as never }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight\[0\] is 1n, a BigInt: convert it with Number/ },
  { name: 'ProbitRegression: sampleWeight a BigInt64Array', run: () => new ProbitRegression().fit(X, yBinary, { sampleWeight: BigInt64Array.from(X.map(() => 1n)) as never }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight\[0\] is 1n, a BigInt/ },
  { name: 'LogisticGLMM: trials of BigInts', run: () => new LogisticGLMM().fit(X, yBinary, { groups, trials: X.map(() => 2n) as never }), error: InputError, code: 'INVALID_DATA', message: /trials\[0\] is 2n, a BigInt: convert it with Number/ },
  { name: 'LogisticGLMM: trials 2^53', run: () => new LogisticGLMM({ maxIter: 1 }).fit(X, yBinary, { groups, trials: X.map((_, i) => (i === 4 ? 2 ** 53 : 1)) }), error: InputError, code: 'INVALID_DATA', message: /trials\[4\] is 9007199254740992: counts above 2\^53 - 1/ },
  { name: 'LogisticGLMM: fit options null', run: () => new LogisticGLMM().fit(X, yBinary, null as never), error: OptionError, code: 'INVALID_OPTION', message: /'LogisticGLMM\.fit options': must be an object of options \(or left out\), got null/ },
  { name: "LogisticGLMM: fit option 'group'", run: () => new LogisticGLMM().fit(X, yBinary, { group: groups } as never), error: OptionError, code: 'INVALID_OPTION', message: /LogisticGLMM\.fit\(\) has no option 'group'; did you mean 'groups'\?/ },
  { name: "TobitRegression.scoreSamples: option 'uper'", run: async () => (await new TobitRegression({ left: 0 }).fit(X, y)).scoreSamples(X, y, { uper: X.map(() => 5) } as never), error: OptionError, code: 'INVALID_OPTION', message: /TobitRegression\.scoreSamples\(\) has no option 'uper'; did you mean 'upper'\?/ },
  { name: 'TobitRegression.scoreSamples: options an AbortSignal', run: async () => (await new TobitRegression({ left: 0 }).fit(X, y)).scoreSamples(X, y, new AbortController().signal as never), error: OptionError, code: 'INVALID_OPTION', message: /'TobitRegression\.scoreSamples options': must be an object of options \(or left out\), got an AbortSignal\./ },
  { name: "LogisticGLMM.score: option 'trial'", run: async () => (await new LogisticGLMM({ maxIter: 1, mcem: { initialSamples: 20 } }).fit(X, yBinary, { groups })).score(X, yBinary, { groups, trial: X.map(() => 1) } as never), error: OptionError, code: 'INVALID_OPTION', message: /has no option 'trial'; did you mean 'trials'\?/ },
])

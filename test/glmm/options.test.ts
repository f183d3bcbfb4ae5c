/**
 * LogisticGLMM's options and inputs: every option changes something observable,
 * unknown or bad settings are OptionErrors, bad data are InputErrors with stable codes,
 * inputs are never mutated, and a synthetic data set recovers its known truth.
 */
import { describe, expect, it } from 'vitest'
import { LogisticGLMM } from '../../src/estimators/LogisticGLMM.js'
import { EmkitError } from '../../src/core/errors.js'
import { groups, trials, X, y } from './cbpp.js'
import { glmmData } from './synthetic.js'

const quick = { initialSamples: 50 }
async function fit(options: ConstructorParameters<typeof LogisticGLMM>[0], fitX = X, fitY: number[] = y, fitOpts: Record<string, unknown> = { groups, trials }) {
  return new LogisticGLMM({ maxIter: 4, ...options }).fit(fitX, fitY, fitOpts as never)
}
const vector = (m: LogisticGLMM) => [m.intercept, ...m.coefficients, m.randomEffectSD]

async function expectCode(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp) {
  let error: unknown
  try { await (typeof p === 'function' ? p() : p) } catch (e) { error = e }
  expect(error).toBeInstanceOf(EmkitError)
  expect((error as EmkitError).code).toBe(code)
  if (message) expect((error as EmkitError).message).toMatch(message)
}

describe('LogisticGLMM options', () => {
  it('every option changes something observable', async () => {
    const base = await fit({ mcem: quick })
    const differs = (m: LogisticGLMM) => expect(vector(m)).not.toEqual(vector(base))
    differs(await fit({ mcem: quick, seed: 1 }))
    differs(await fit({ mcem: { ...quick, seed: 5 } }))
    differs(await fit({ mcem: { ...quick, burnIn: 10 } }))
    differs(await fit({ mcem: { ...quick, thin: 3 } }))
    differs(await fit({ mcem: { initialSamples: 80 } }))
    differs(await fit({ mcem: quick, maxIter: 2 }))
    // growth and sampleSize: the sample sizes follow the geometric rule
    const geo = await fit({ mcem: { ...quick, sampleSize: 'geometric', growth: 2 } })
    expect(geo.fitResult.monteCarlo!.iterations.map((i) => i.samples)).toEqual([50, 100, 200, 400])
    const capped = await fit({ mcem: { ...quick, sampleSize: 'geometric', growth: 2, maxSamples: 120 } })
    expect(capped.fitResult.monteCarlo!.iterations.map((i) => i.samples)).toEqual([50, 100, 120, 120])
    // the stopping rule: a loose epsilon stops sooner
    const loose = await fit({ maxIter: 50, mcem: { ...quick, epsilon: 0.5, consecutive: 1 } })
    expect(loose.nIter).toBe(1)
    expect((await fit({ maxIter: 50, mcem: { ...quick, epsilon: 0.5, consecutive: 2 } })).nIter).toBe(2)
    // delta: a huge one makes every relative change tiny
    expect((await fit({ maxIter: 50, mcem: { ...quick, epsilon: 0.01, consecutive: 1 } })).nIter).toBeGreaterThan(1)
    expect((await fit({ maxIter: 50, mcem: { ...quick, epsilon: 0.01, delta: 1e6, consecutive: 1 } })).nIter).toBe(1)
    // nAGQ changes the reported log-likelihood, not the estimates
    const laplace = await fit({ mcem: quick, nAGQ: 1 })
    expect(vector(laplace)).toEqual(vector(base))
    expect(laplace.logLik).not.toBe(base.logLik)
    // fitIntercept: false has no intercept
    const noIntercept = await fit({ mcem: quick, fitIntercept: false })
    expect(noIntercept.intercept).toBe(0)
    expect(noIntercept.coefficients).toHaveLength(3)
    // decisionFunction: the population-level linear predictor, with and without the intercept
    const row = [0.5, -1, 2]
    const dot = (m: LogisticGLMM) => m.coefficients.reduce((s, c, j) => s + c * row[j]!, 0)
    expect(base.decisionFunction([row])[0]).toBeCloseTo(base.intercept + dot(base), 12)
    expect(noIntercept.decisionFunction([row])[0]).toBeCloseTo(dot(noIntercept), 12)
    expect(() => base.decisionFunction([[1, 2]])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }))
    // backends: the same numbers (tested in cbpp.test.ts); the kernels differ
    expect(vector(await fit({ mcem: quick, backend: 'js' }))).toEqual(vector(base))
  }, 60000)

  it('ascent-rule settings (alpha, beta, augment, maxAugmentations) change the sample sizes', async () => {
    // near the optimum delta-Q is within its Monte Carlo noise, where these rules act
    const sizes = async (mcem: object) => (await fit({ maxIter: 9, mcem: { ...quick, epsilon: 1e-9, ...mcem } })).fitResult.monteCarlo!.iterations.map((i) => [i.samples, i.augmentations])
    const base = await sizes({})
    for (const mcem of [{ alpha: 0.1 }, { beta: 0.1 }]) expect(await sizes(mcem)).not.toEqual(base)
    // augmentation happens with few draws and a stricter lower bound: its settings then matter
    const strict = await sizes({ initialSamples: 10, alpha: 0.1 })
    expect(strict.some(([, a]) => a! > 0)).toBe(true)
    for (const mcem of [{ initialSamples: 10, alpha: 0.1, augment: 1 }, { initialSamples: 10, alpha: 0.1, maxAugmentations: 0 }]) expect(await sizes(mcem)).not.toEqual(strict)
  }, 60000)

  it('rejects unknown and bad settings with OptionError naming the setting', async () => {
    await expectCode(() => new LogisticGLMM({ nope: 1 } as never), 'INVALID_OPTION', /nope/)
    await expectCode(() => new LogisticGLMM({ mcem: { burnin: 5 } as never }), 'INVALID_OPTION', /burnin.*burnIn, thin/)
    await expectCode(() => new LogisticGLMM({ mcem: { burnIn: -1 } }), 'INVALID_OPTION', /burnIn/)
    await expectCode(() => new LogisticGLMM({ mcem: { burnIn: 2.5 } }), 'INVALID_OPTION', /burnIn/)
    await expectCode(() => new LogisticGLMM({ mcem: { thin: 0 } }), 'INVALID_OPTION', /thin/)
    await expectCode(() => new LogisticGLMM({ mcem: { initialSamples: 1 } }), 'INVALID_OPTION', /initialSamples/)
    await expectCode(() => new LogisticGLMM({ mcem: { growth: 0.5 } }), 'INVALID_OPTION', /growth/)
    await expectCode(() => new LogisticGLMM({ mcem: { sampleSize: 'fast' as never } }), 'INVALID_OPTION', /sampleSize/)
    await expectCode(() => new LogisticGLMM({ mcem: 3 as never }), 'INVALID_OPTION', /mcem/)
    await expectCode(() => new LogisticGLMM({ algorithm: 'em' as never }), 'UNSUPPORTED', /mcem/)
    await expectCode(() => new LogisticGLMM({ nAGQ: 0 }), 'INVALID_OPTION', /nAGQ/)
    await expectCode(() => new LogisticGLMM({ nAGQ: 2.5 }), 'INVALID_OPTION', /nAGQ/)
    await expectCode(() => new LogisticGLMM({ fitIntercept: 'yes' as never }), 'INVALID_OPTION', /fitIntercept/)
    await expectCode(() => new LogisticGLMM({ backend: 'gpu' as never }), 'INVALID_OPTION', /backend/)
    await expectCode(() => new LogisticGLMM({ maxIter: -1 }), 'INVALID_OPTION', /maxIter/)
    await expectCode(() => new LogisticGLMM().intercept, 'NOT_FITTED')
  })
})

describe('LogisticGLMM inputs', () => {
  const m = () => new LogisticGLMM({ maxIter: 1, mcem: quick })
  const X4 = [[0], [1], [0], [1]], y4 = [0, 1, 1, 0], g4 = ['a', 'a', 'b', 'b']
  it('bad data are InputErrors with stable codes and what to do', async () => {
    await expectCode(m().fit(X4, y4, { groups: ['a', 'a', 'b'] }), 'SHAPE_MISMATCH', /groups has 3 values/)
    await expectCode(m().fit(X4, [0, 1, 1], { groups: g4 }), 'SHAPE_MISMATCH', /y has 3/)
    await expectCode(m().fit(X4, y4, { groups: g4, trials: [1, 1] }), 'SHAPE_MISMATCH', /trials has 2/)
    await expectCode(m().fit(X4, [0, 2, 1, 0], { groups: g4 }), 'INVALID_DATA', /exceeds trials/)
    await expectCode(m().fit(X4, [0, 2, 1, 0], { groups: g4, trials: [3, 1, 3, 3] }), 'INVALID_DATA', /y\[1\] = 2 exceeds trials\[1\] = 1/)
    await expectCode(m().fit(X4, [0, 0.5, 1, 0], { groups: g4 }), 'INVALID_DATA', /integer >= 0/)
    await expectCode(m().fit(X4, [0, -1, 1, 0], { groups: g4 }), 'INVALID_DATA', /integer >= 0/)
    await expectCode(m().fit(X4, [0, NaN, 1, 0], { groups: g4 }), 'NON_FINITE', /y\[1\]/)
    await expectCode(m().fit(X4, y4, { groups: g4, trials: [1, 0, 1, 1] }), 'INVALID_DATA', /trials\[1\].*integer >= 1/)
    await expectCode(m().fit(X4, y4, { groups: g4, trials: [1, 1.5, 1, 1] }), 'INVALID_DATA', /trials\[1\]/)
    await expectCode(m().fit([[0], [NaN], [0], [1]], y4, { groups: g4 }), 'NON_FINITE')
    await expectCode(m().fit([[0], [Infinity], [0], [1]], y4, { groups: g4 }), 'NON_FINITE')
    await expectCode(m().fit(X4, y4, { groups: ['a', undefined, 'b', 'b'] as never }), 'INVALID_DATA', /groups\[1\].*label/)
    await expectCode(m().fit(X4, y4, { groups: ['a', null, 'b', 'b'] as never }), 'INVALID_DATA', /groups\[1\]/)
    await expectCode(m().fit(X4, y4, { groups: [1, NaN, 2, 2] }), 'INVALID_DATA', /groups\[1\]/)
    await expectCode(m().fit(X4, y4, { groups: ['a', '', 'b', 'b'] }), 'INVALID_DATA', /groups\[1\]/)
    await expectCode(m().fit(X4, y4, { groups: ['a', 'a', 'a', 'a'] }), 'INVALID_DATA', /at least 2 groups/)
    await expectCode(m().fit(X4, y4, undefined as never), 'INVALID_DATA', /groups/)
    await expectCode(m().fit(X4, y4, {} as never), 'SHAPE_MISMATCH', /groups has no values/)
    await expectCode(m().fit(X4, y4, { groups: g4, weights: [1] } as never), 'INVALID_OPTION', /weights/)
    await expectCode(m().fit([], [], { groups: [] }), 'EMPTY_DATA')
    await expectCode(new LogisticGLMM({ fitIntercept: false }).fit([[], [], [], []], y4, { groups: g4 }), 'EMPTY_DATA')
  })

  it('does not mutate its inputs', async () => {
    const Xc = X.map((r) => r.slice()), yc = y.slice(), tc = trials.slice(), gc = groups.slice()
    await m().fit(X, y, { groups, trials })
    expect(X).toEqual(Xc); expect(y).toEqual(yc); expect(trials).toEqual(tc); expect(groups).toEqual(gc)
  })

  it('string and number labels, rows in any order: the same fit', async () => {
    const a = await m().fit(X, y, { groups, trials })
    const b = await m().fit(X, y, { groups: groups.map((h) => `herd ${h}`), trials })
    expect(vector(b)).toEqual(vector(a))
    // shuffled rows (group order of first appearance kept): same sorted data, same fit
    const order = X.map((_, i) => i).sort((i, j) => (groups[i]! - groups[j]!) || (j - i))
    const c = await m().fit(order.map((i) => X[i]!), order.map((i) => y[i]!), { groups: order.map((i) => groups[i]!), trials: order.map((i) => trials[i]!) })
    expect(c.intercept).toBeCloseTo(a.intercept, 8)
  })
})

describe('LogisticGLMM on synthetic data with known truth', () => {
  it('recovers intercept, coefficients and sigma (300 groups x 8 Bernoulli rows)', async () => {
    const truth = { intercept: -0.5, coefficients: [1, -0.7], sigma: 1.2 }
    const seed = 11
    const d = glmmData(seed, 300, 8, truth)
    const m = await new LogisticGLMM({ seed, mcem: { epsilon: 0.01, initialSamples: 200, maxSamples: 2000 } }).fit(d.X, d.y, { groups: d.groups })
    console.log(`[glmm synthetic] seed ${seed}: intercept ${m.intercept}, coefficients ${m.coefficients}, sd ${m.randomEffectSD}, ${m.nIter} iterations`)
    // sampling error of the MLE itself at this size is ~0.1 for each: 3 standard errors
    expect(Math.abs(m.intercept - truth.intercept)).toBeLessThan(0.3)
    m.coefficients.forEach((c, i) => expect(Math.abs(c - truth.coefficients[i]!)).toBeLessThan(0.3))
    expect(Math.abs(m.randomEffectSD - truth.sigma)).toBeLessThan(0.3)
  }, 60000)
})

describe('LogisticGLMM model summaries', () => {
  it('nParameters, aic and bic from the AGQ log-likelihood', async () => {
    const m = await new LogisticGLMM({ maxIter: 2, mcem: quick }).fit(X, y, { groups, trials })
    expect(m.nParameters()).toBe(5)
    expect(m.aic()).toBeCloseTo(-2 * m.logLik + 10, 10)
    expect(m.bic()).toBeCloseTo(-2 * m.logLik + 5 * Math.log(X.length), 10)
  })
})

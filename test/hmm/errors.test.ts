/** Bad input: a clear EmkitError with a stable code; the caller's arrays are never changed. */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, EmkitError, GaussianHMM, PoissonHMM } from '../../src/index.js'

async function rejects(p: Promise<unknown> | (() => unknown), code: string, message: RegExp): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    expect(e).toBeInstanceOf(EmkitError)
    expect((e as EmkitError).code).toBe(code)
    expect((e as Error).message).toMatch(message)
    return
  }
  expect.fail(`expected an EmkitError ${code}`)
}

const X = Array.from({ length: 20 }, (_, t) => [t % 5, (t * 7) % 3])

describe('HMM bad input', () => {
  it('zero-length sequences', async () => {
    await rejects(new GaussianHMM({ nComponents: 2 }).fit(X, { lengths: [10, 0, 10] }), 'EMPTY_DATA', /lengths\[1\] is 0.*remove zero-length/)
    await rejects(new GaussianHMM({ nComponents: 2 }).fit([]), 'EMPTY_DATA', /empty/)
    await rejects(new CategoricalHMM({ nComponents: 2 }).fit([]), 'EMPTY_DATA', /empty/)
  })

  it('lengths not summing to the rows, or not integers', async () => {
    await rejects(new GaussianHMM({ nComponents: 2 }).fit(X, { lengths: [10, 9] }), 'SHAPE_MISMATCH', /sum to 19 but X has 20 rows/)
    await rejects(new GaussianHMM({ nComponents: 2 }).fit(X, { lengths: [10.5, 9.5] }), 'INVALID_DATA', /positive integers/)
    await rejects(new GaussianHMM({ nComponents: 2 }).fit(X, { lengths: [] }), 'INVALID_DATA', /non-empty/)
  })

  it('non-integer, negative or out-of-range symbols', async () => {
    await rejects(new CategoricalHMM({ nComponents: 2 }).fit([0, 1, 1.5, 2]), 'INVALID_DATA', /X\[2\] is 1.5.*symbols must be integers/)
    await rejects(new CategoricalHMM({ nComponents: 2 }).fit([0, -1, 1]), 'INVALID_DATA', /X\[1\] is -1/)
    await rejects(new CategoricalHMM({ nComponents: 2, nSymbols: 3 }).fit([0, 1, 3, 2]), 'INVALID_DATA', /X\[2\] is symbol 3 but nSymbols is 3/)
    const given = new CategoricalHMM({ nComponents: 2, init: { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.1, 0.9]], emissionProb: [[0.5, 0.5], [0.2, 0.8]] } })
    await rejects(() => given.score([0, 1, 2]), 'INVALID_DATA', /symbol 2 but nSymbols is 2/)
  })

  it('negative or non-integer Poisson counts', async () => {
    await rejects(new PoissonHMM({ nComponents: 2 }).fit([1, 2, -3]), 'INVALID_DATA', /X\[2\] is -3.*non-negative integers/)
    await rejects(new PoissonHMM({ nComponents: 2 }).fit([1, 2.5, 3]), 'INVALID_DATA', /X\[1\] is 2.5/)
    await rejects(new PoissonHMM({ nComponents: 2 }).fit([1, NaN, 3]), 'INVALID_DATA', /X\[1\] is NaN/)
  })

  it('user-given transition rows or start probabilities not summing to 1', async () => {
    await rejects(() => new GaussianHMM({ nComponents: 2, init: { transMat: [[0.9, 0.2], [0.5, 0.5]] } }), 'INVALID_OPTION', /init.transMat.*row 0 sums to 1.1.*normalise each row/)
    await rejects(() => new PoissonHMM({ nComponents: 2, init: { startProb: [0.3, 0.3] } }), 'INVALID_OPTION', /init.startProb.*sums to 0.6/)
    await rejects(() => new CategoricalHMM({ nComponents: 2, init: { emissionProb: [[0.5, 0.6], [0.5, 0.5]] } }), 'INVALID_OPTION', /init.emissionProb.*row 0 sums/)
    await rejects(() => new GaussianHMM({ nComponents: 2, init: { transMat: [[0.5, 0.5]] } }), 'INVALID_OPTION', /init.transMat/)
    await rejects(() => new PoissonHMM({ nComponents: 2, init: { rates: [1, -2] } }), 'INVALID_OPTION', /rates\[1\] is -2/)
  })

  it('options: unknown names, letter strings, bad pseudo-counts, bad flags', async () => {
    await rejects(() => new GaussianHMM({ params: 'stmc' } as any), 'INVALID_OPTION', /has no option 'params'/)
    await rejects(() => new GaussianHMM({ fitParams: 'stmc' as any }), 'INVALID_OPTION', /fitParams.startProb|fitParams/)
    await rejects(() => new GaussianHMM({ fitParams: { mean: false } as any }), 'INVALID_OPTION', /has no option 'mean'; did you mean 'means'/)
    await rejects(() => new GaussianHMM({ pseudoCounts: { transMat: -1 } }), 'INVALID_OPTION', /pseudo-counts must be finite and >= 0/)
    await rejects(() => new GaussianHMM({ accelerate: 'fast' as any }), 'INVALID_OPTION', /accelerate/)
    await rejects(() => new GaussianHMM({ algorithm: 'ecm' as any }), 'UNSUPPORTED', /supports 'em'/)
  })

  it('use before fit without all parameters; feature-count mismatch; too many states', async () => {
    await rejects(() => new GaussianHMM({ nComponents: 2, init: { means: [[0], [1]] } }).score([[1]]), 'NOT_FITTED', /call fit\(\) first, or give all parameters/)
    const hmm = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(X)
    await rejects(() => hmm.score([[1, 2, 3]]), 'SHAPE_MISMATCH', /3 features but the model has 2/)
    await rejects(new GaussianHMM({ nComponents: 5 }).fit([[1], [2], [3]]), 'TOO_MANY_COMPONENTS', /at most 3 states/)
  })

  it('inputs are never mutated', async () => {
    const Xg = X.map((r) => r.slice())
    const init = { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.2, 0.8]], means: [[0, 0], [3, 1]], covariances: [[1, 1], [2, 2]] }
    const initCopy = JSON.parse(JSON.stringify(init))
    const lengths = [12, 8]
    const hmm = new GaussianHMM({ nComponents: 2, init })
    hmm.predictProba(Xg, { lengths })
    await hmm.fit(Xg, { lengths })
    expect(Xg).toEqual(X)
    expect(init).toEqual(initCopy)
    expect(lengths).toEqual([12, 8])
    const sym = Float64Array.from([0, 1, 2, 1, 0])
    await new CategoricalHMM({ nComponents: 2 }).fit(sym)
    expect(Array.from(sym)).toEqual([0, 1, 2, 1, 0])
  })
})

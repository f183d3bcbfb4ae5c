/**
 * fitParams of every HMM, one flag at a time: the parameter it names stays at its start
 * while Baum-Welch moves it when the flag is left on, and it no longer counts in
 * nParameters().
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM, GMMHMM, PoissonHMM } from '../../src/index.js'

type Fitted = Record<string, unknown> & { nParameters(): number }
type Make = (options: object) => { fit(X: unknown, options: { lengths: number[] }): Promise<unknown>; sample(n: number): { X: unknown } }

const lengths = [100, 100, 100]
const chain = (stay: number) => ({ startProb: [0.7, 0.3], transMat: [[stay, 1 - stay], [1 - stay, stay]] })

interface Case { name: string; make: Make; truth: object; start: object; names: string[] }

const CASES: Case[] = [
  {
    name: 'GaussianHMM',
    make: (o) => new GaussianHMM({ nComponents: 2, covarianceType: 'diag', seed: 1, ...o }),
    truth: { ...chain(0.9), means: [[0, 0], [3, 2]], covariances: [[1, 0.5], [0.7, 1.2]] },
    start: { ...chain(0.6), means: [[0.5, -0.5], [2, 1]], covariances: [[2, 1], [1, 2]] },
    names: ['startProb', 'transMat', 'means', 'covariances'],
  },
  {
    name: 'CategoricalHMM',
    make: (o) => new CategoricalHMM({ nComponents: 2, seed: 1, ...o }),
    truth: { ...chain(0.9), emissionProb: [[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]] },
    start: { ...chain(0.6), emissionProb: [[0.4, 0.3, 0.3], [0.3, 0.3, 0.4]] },
    names: ['startProb', 'transMat', 'emissionProb'],
  },
  {
    name: 'PoissonHMM',
    make: (o) => new PoissonHMM({ nComponents: 2, seed: 1, ...o }),
    truth: { ...chain(0.9), rates: [1, 6] },
    start: { ...chain(0.6), rates: [2, 4] },
    names: ['startProb', 'transMat', 'rates'],
  },
  {
    name: 'GMMHMM',
    make: (o) => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'diag', seed: 1, ...o }),
    truth: { ...chain(0.9), weights: [[0.5, 0.5], [0.3, 0.7]], means: [[[0, 0], [1, 1]], [[4, 2], [5, 4]]], covariances: [[[1, 1], [0.5, 0.5]], [[1, 0.5], [0.7, 1]]] },
    start: { ...chain(0.6), weights: [[0.6, 0.4], [0.5, 0.5]], means: [[[0.5, 0], [1.5, 1]], [[3, 2], [4, 3]]], covariances: [[[2, 2], [1, 1]], [[2, 1], [1, 2]]] },
    names: ['startProb', 'transMat', 'weights', 'means', 'covariances'],
  },
]

describe.each(CASES)('$name fitParams', (c) => {
  const X = c.make({ init: c.truth }).sample(300).X
  it.each(c.names)('%s: false keeps it at its start, true lets it move', async (name) => {
    const fit = async (options: object) => await c.make({ init: c.start, ...options }).fit(X, { lengths }) as Fitted
    const start = await fit({ maxIter: 0 })
    const held = await fit({ maxIter: 20, fitParams: { [name]: false } })
    const free = await fit({ maxIter: 20 })
    expect(held[name]).toEqual(start[name])
    expect(free[name]).not.toEqual(start[name])
    expect(held.nParameters()).toBeLessThan(free.nParameters())
    // the other parameters are still fitted
    for (const other of c.names.filter((n) => n !== name)) expect(held[other], other).not.toEqual(start[other])
  })
})

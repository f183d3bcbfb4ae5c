/**
 * The catalog of bad inputs: each case is one call that must fail with a typed
 * EmkitError of the given class and stable code, and a message that shows the value as
 * given and says what to do (`message`). Cases are data, registered as one test each.
 */
import { describe, expect, it } from 'vitest'
import {
  EmkitError, type EmkitErrorCode,
  BayesianGaussianMixture, CategoricalHMM, FactorAnalysis, GammaPoisson, GaussianHMM, GaussianMixture, GMMHMM, LogisticGLMM,
  MultivariateNormal, MultivariateT, PoissonHMM, PoissonMixture, ProbitRegression, TMixture, TobitRegression,
  TruncatedNormal, TruncatedRegression, BernoulliMixture,
} from '../../src/index.js'

type ErrorClass = abstract new (...args: never[]) => EmkitError

export interface Case {
  readonly name: string
  readonly run: () => unknown
  readonly error: ErrorClass
  readonly code: EmkitErrorCode
  /** What the message must show: the value as given, and the remedy. */
  readonly message: RegExp
}

/** The error `run` throws or rejects with (a test failure if it returns). */
export async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run()
  } catch (e) {
    return e
  }
  throw new Error('expected an error, but the call succeeded')
}

export async function expectCase(c: Omit<Case, 'name'>): Promise<EmkitError> {
  const e = await failure(c.run)
  expect(e, `a ${c.error.name}, got ${String(e)}`).toBeInstanceOf(c.error)
  const err = e as EmkitError
  expect(err.code).toBe(c.code)
  expect(err.message).toMatch(c.message)
  return err
}

/** One test per case. */
export function catalog(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => expectCase(c))
  })
}

// ---- small valid data for every estimator ----

export const X = Array.from({ length: 30 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 2) * 4, (i * 7) % 5])
export const counts = Array.from({ length: 30 }, (_, i) => (i * 7) % 11)
export const binary = X.map((r) => r.map((v) => (v > 1.5 ? 1 : 0)))
export const symbols = counts.map((c) => c % 3)
export const y = X.map((r) => r[0]! + 0.5 * r[1]! + Math.sin(r[2]! * 3))
/** Not separated: X[0] mostly, with exceptions both ways. */
export const yBinary = X.map((r, i) => (r[0]! + 3 * Math.sin(i * 7) > 2.5 ? 1 : 0))
export const groups = X.map((_, i) => i % 5)

/** How one estimator is made and fitted on valid data, and what its calls take. */
export interface Subject {
  readonly name: string
  /** The class, called with the options as given. */
  readonly Class: new (options?: never) => any
  /** A fresh estimator for the subject's data (small settings where fits are slow). */
  readonly fresh: (options?: object) => any
  /** A fit on the subject's data with these fit options as given (X replaced when given). */
  readonly fit: (estimator: any, options?: unknown, X?: unknown) => Promise<unknown>
  /** A scoring call on the subject's data. */
  readonly score: (estimator: any) => unknown
  /** Whether fit takes sampleWeight, lengths. */
  readonly weights: boolean
  readonly sequences: boolean
  /** The subject's X with BigInts for numbers. */
  readonly bigintX: unknown
}

const bigRows = X.map((r) => r.map((v) => BigInt(Math.round(v))))
const bigCounts = counts.map((v) => BigInt(v))

const isPlain = (o: unknown): o is object => typeof o === 'object' && o !== null && Object.getPrototypeOf(o) === Object.prototype

function onX(Class: new (options?: never) => any, data: unknown, weights: boolean, sequences: boolean, bigintX: unknown, defaults: object = {}): Subject {
  return {
    name: Class.name, Class, weights, sequences, bigintX,
    fresh: (o = {}) => new Class({ ...defaults, ...o } as never),
    fit: (e, options, given) => e.fit(given === undefined ? data : given, options),
    score: (e) => e.scoreSamples(data),
  }
}

/** fit(X, y, options): LogisticGLMM's options always carry its groups (unless they are not an object at all). */
function regression(Class: new (options?: never) => any, response: number[], defaults: object, needs: object | null): Subject {
  const withNeeds = (options: unknown): unknown => (needs === null ? options : options === undefined ? needs : isPlain(options) ? { ...needs, ...options } : options)
  return {
    name: Class.name, Class, weights: needs === null, sequences: false, bigintX: bigRows,
    fresh: (o = {}) => new Class({ ...defaults, ...o } as never),
    fit: (e, options, given) => e.fit(given === undefined ? X : given, response, withNeeds(options)),
    score: (e) => (needs === null ? e.scoreSamples(X, response) : e.scoreSamples(X, response, needs)),
  }
}

/** Every estimator, on small valid data. */
export const SUBJECTS: readonly Subject[] = [
  onX(GaussianMixture, X, true, false, bigRows, { nComponents: 2 }),
  onX(BayesianGaussianMixture, X, false, false, bigRows, { nComponents: 2 }),
  onX(PoissonMixture, counts, true, false, bigCounts),
  onX(BernoulliMixture, binary, true, false, binary.map((r) => r.map((v) => BigInt(v)))),
  onX(TMixture, X, true, false, bigRows, { nComponents: 2 }),
  onX(MultivariateT, X, true, false, bigRows),
  onX(FactorAnalysis, X, true, false, bigRows),
  onX(MultivariateNormal, X, false, false, bigRows),
  onX(GammaPoisson, counts, false, false, bigCounts),
  onX(TruncatedNormal, counts, false, false, bigCounts),
  onX(GaussianHMM, X, false, true, bigRows),
  onX(CategoricalHMM, symbols, false, true, symbols.map((v) => BigInt(v))),
  onX(PoissonHMM, counts, false, true, bigCounts),
  onX(GMMHMM, X, false, true, bigRows),
  regression(TobitRegression, y, { left: 0 }, null),
  regression(TruncatedRegression, y, {}, null),
  regression(ProbitRegression, yBinary, {}, null),
  regression(LogisticGLMM, yBinary, { maxIter: 2, mcem: { initialSamples: 20 } }, { groups }),
]

export const subject = (name: string): Subject => SUBJECTS.find((s) => s.name === name)!

/** The subjects whose rows (or time steps) belong to latent classes: mixtures and HMMs. */
export const LATENT = ['GaussianMixture', 'BayesianGaussianMixture', 'PoissonMixture', 'BernoulliMixture', 'TMixture', 'GaussianHMM', 'CategoricalHMM', 'PoissonHMM', 'GMMHMM']

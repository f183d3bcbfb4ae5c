/**
 * The variational HMMs' bound against brute force on tiny models (T <= 6, K = 2, 3):
 * with q(theta) read back through the public posterior attributes, the ELBO
 *   E_q[log p(x, z | theta)] + H[q(z)] - KL(q(theta) || p(theta))
 * is computed here by enumerating every state path (q(z) the exact optimum given
 * q(theta), proportional to exp E_q(theta)[log p(x, z | theta)]), with the expected
 * log-densities and the KL divergences written from their textbook forms (Penny 2001's
 * Wishart and Gamma KLs, the Gaussian KL at E[Lambda]), independently of the model's
 * code. history's last entry, elbo and score(X) must agree to 1e-10; predictProba is
 * q(z)'s marginals and predict its most likely path.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { VariationalCategoricalHMM, VariationalGaussianHMM } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { digamma, lgamma } from '../../src/core/math/special.js'
import { cholesky, logDetFromCholesky } from '../../src/core/math/dense.js'
import { inverseSPD } from '../../src/core/math/inverse-spd.js'

const LOG_2PI = Math.log(2 * Math.PI)
type Type = 'full' | 'diag' | 'spherical' | 'tied'

/** log Gamma_d(a) (the multivariate gamma function). */
function lgammaMulti(a: number, d: number): number {
  let s = (d * (d - 1) / 4) * Math.log(Math.PI)
  for (let i = 1; i <= d; i++) s += lgamma(a + (1 - i) / 2)
  return s
}

function psiMulti(a: number, d: number): number {
  let s = 0
  for (let i = 1; i <= d; i++) s += digamma(a + (1 - i) / 2)
  return s
}

function logDet(a: Float64Array, d: number): number {
  return logDetFromCholesky(cholesky(a, d)!, d)
}

/** KL(Dir(a) || Dir(a0)). */
function klDirichlet(a: number[], a0: number[]): number {
  const A = a.reduce((s, v) => s + v, 0), A0 = a0.reduce((s, v) => s + v, 0)
  let kl = lgamma(A) - lgamma(A0)
  for (let i = 0; i < a.length; i++) kl += lgamma(a0[i]!) - lgamma(a[i]!) + (a[i]! - a0[i]!) * (digamma(a[i]!) - digamma(A))
  return kl
}

/** KL(W(V_q, n_q) || W(V_p, n_p)), V the scale matrices (Penny 2001). */
function klWishart(Vq: Float64Array, nq: number, Vp: Float64Array, np: number, d: number): number {
  const VpInv = inverseSPD(Vp, d)!
  let tr = 0
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) tr += VpInv[i * d + j]! * Vq[j * d + i]!
  return 0.5 * (nq - np) * psiMulti(nq / 2, d) - 0.5 * nq * d + 0.5 * nq * tr + 0.5 * np * (logDet(Vp, d) - logDet(Vq, d))
    + lgammaMulti(np / 2, d) - lgammaMulti(nq / 2, d)
}

/** KL(Gamma(a, rate b) || Gamma(a0, rate b0)). */
function klGamma(a: number, b: number, a0: number, b0: number): number {
  return (a - a0) * digamma(a) - lgamma(a) + lgamma(a0) + a0 * (Math.log(b) - Math.log(b0)) + a * (b0 - b) / b
}

/** KL(N(m1, S1) || N(m0, S0)). */
function klGaussian(m1: number[], S1: Float64Array, m0: number[], S0: Float64Array, d: number): number {
  const P0 = inverseSPD(S0, d)!
  let tr = 0, quad = 0
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      tr += P0[i * d + j]! * S1[j * d + i]!
      quad += (m0[i]! - m1[i]!) * P0[i * d + j]! * (m0[j]! - m1[j]!)
    }
  }
  return 0.5 * (tr + quad - d + logDet(S0, d) - logDet(S1, d))
}

const full = (block: number[][]): Float64Array => Float64Array.from(block.flat())
const diagonal = (v: number[]): Float64Array => {
  const d = v.length, out = new Float64Array(d * d)
  v.forEach((x, j) => { out[j * d + j] = x })
  return out
}

/** Per state: E[log N(x | mu, Lambda^-1)] as a function of x, E[Lambda] (d x d), and KL of q(mu, Lambda). */
interface StateTerms { expectedLogDensity: (x: number[]) => number; klMean: number }

function gaussianTerms(h: VariationalGaussianHMM, type: Type): { states: StateTerms[]; klPrecision: number } {
  const k = h.nComponents, d = h.nFeatures
  const m = h.meansPosterior, beta = h.betaPosterior, p = h.priors
  const dofs = type === 'tied' ? new Array(k).fill(h.dofPosterior as number) : h.dofPosterior as number[]
  const dof0 = type === 'tied' ? new Array(k).fill(p.dofPrior as number) : p.dofPrior as number[]
  const scale = h.scalePosterior as unknown
  const scale0 = p.scalePrior as unknown
  // E[Lambda] and E log|Lambda| of every state, and the precision's KL
  const expectedLambda: Float64Array[] = [], expectedLogDet: number[] = []
  let klPrecision = 0
  for (let c = 0; c < k; c++) {
    const nu = dofs[c]!
    if (type === 'full' || type === 'tied') {
      const S = full(type === 'tied' ? scale as number[][] : (scale as number[][][])[c]!)
      const W = inverseSPD(S, d)!
      expectedLambda.push(W.map((v) => nu * v))
      expectedLogDet.push(psiMulti(nu / 2, d) + d * Math.log(2) + logDet(W, d))
      if (type === 'full' || c === 0) {
        const S0 = full(type === 'tied' ? scale0 as number[][] : (scale0 as number[][][])[c]!)
        klPrecision += klWishart(W, nu, inverseSPD(S0, d)!, dof0[c]!, d)
      }
    } else if (type === 'diag') {
      const s = (scale as number[][])[c]!, s0 = (scale0 as number[][])[c]!
      // lambda_j ~ Gamma(nu / 2, rate s_j / 2)
      expectedLambda.push(diagonal(s.map((v) => nu / v)))
      expectedLogDet.push(s.reduce((acc, v) => acc + digamma(nu / 2) - Math.log(v / 2), 0))
      for (let j = 0; j < d; j++) klPrecision += klGamma(nu / 2, s[j]! / 2, dof0[c]! / 2, s0[j]! / 2)
    } else {
      const s = (scale as number[])[c]!, s0 = (scale0 as number[])[c]!
      // one lambda ~ Gamma(nu d / 2, rate s d / 2)
      const a = nu * d / 2, b = s * d / 2
      expectedLambda.push(diagonal(new Array(d).fill(a / b)))
      expectedLogDet.push(d * (digamma(a) - Math.log(b)))
      klPrecision += klGamma(a, b, dof0[c]! * d / 2, s0 * d / 2)
    }
  }
  const states = Array.from({ length: k }, (_, c): StateTerms => {
    const L = expectedLambda[c]!
    const cov = inverseSPD(L, d)!
    // E over Lambda of KL(N(m, (beta Lambda)^-1) || N(m0, (beta0 Lambda)^-1)): Lambda enters the quadratic term only, linearly
    const klMean = klGaussian(m[c]!, cov.map((v) => v / beta[c]!), p.meansPrior[c]!, cov.map((v) => v / p.betaPrior[c]!), d)
    return {
      klMean,
      expectedLogDensity: (x) => {
        let quad = 0
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) quad += (x[i]! - m[c]![i]!) * L[i * d + j]! * (x[j]! - m[c]![j]!)
        return 0.5 * expectedLogDet[c]! - 0.5 * d * LOG_2PI - 0.5 * (quad + d / beta[c]!)
      },
    }
  })
  return { states, klPrecision }
}

interface Chain {
  k: number
  logStart: number[]
  logTrans: number[][]
  logB: (t: number, c: number) => number
}

/** E_q[log p(x, z)] + H[q(z)] over every path of every sequence, q(z) the optimum; its marginals and modal path. */
function enumerate(ch: Chain, lengths: number[]): { value: number; marginals: number[][]; path: number[] } {
  const { k } = ch
  let value = 0
  const marginals: number[][] = []
  const path: number[] = []
  let offset = 0
  for (const T of lengths) {
    const count = k ** T
    const scores: number[] = []
    const z = new Array<number>(T)
    for (let code = 0; code < count; code++) {
      let r = code
      for (let t = T - 1; t >= 0; t--) { z[t] = r % k; r = Math.floor(r / k) }
      let s = ch.logStart[z[0]!]! + ch.logB(offset, z[0]!)
      for (let t = 1; t < T; t++) s += ch.logTrans[z[t - 1]!]![z[t]!]! + ch.logB(offset + t, z[t]!)
      scores.push(s)
    }
    const max = Math.max(...scores)
    const w = scores.map((s) => Math.exp(s - max))
    const total = w.reduce((a, b) => a + b, 0)
    const q = w.map((v) => v / total)
    // the two terms literally: the expected log joint and the entropy of q(z)
    let expected = 0, entropy = 0
    q.forEach((p, i) => { if (p > 0) { expected += p * scores[i]!; entropy -= p * Math.log(p) } })
    value += expected + entropy
    const m = Array.from({ length: T }, () => new Array<number>(k).fill(0))
    let best = 0
    for (let code = 0; code < count; code++) {
      let r = code
      for (let t = T - 1; t >= 0; t--) { z[t] = r % k; r = Math.floor(r / k) }
      for (let t = 0; t < T; t++) m[t]![z[t]!] += q[code]!
      if (q[code]! > q[best]!) best = code
    }
    let r = best
    const bestPath = new Array<number>(T)
    for (let t = T - 1; t >= 0; t--) { bestPath[t] = r % k; r = Math.floor(r / k) }
    marginals.push(...m)
    path.push(...bestPath)
    offset += T
  }
  return { value, marginals, path }
}

function chainOf(h: { startProbPosterior: number[]; transMatPosterior: number[][] }): { logStart: number[]; logTrans: number[][]; kl: (p: { startProbPrior: number[]; transMatPrior: number[][] }) => number } {
  const elog = (a: number[]) => { const A = a.reduce((s, v) => s + v, 0); return a.map((v) => digamma(v) - digamma(A)) }
  return {
    logStart: elog(h.startProbPosterior),
    logTrans: h.transMatPosterior.map(elog),
    kl: (p) => klDirichlet(h.startProbPosterior, p.startProbPrior) + h.transMatPosterior.reduce((s, row, i) => s + klDirichlet(row, p.transMatPrior[i]!), 0),
  }
}

function rows(seed: number, n: number, d: number): number[][] {
  const rng = new Rng(seed)
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i % 2) * 2.5 + j * 0.3 + rng.normal()))
}

let worst = 0
const close = (a: number, b: number) => {
  const scale = Math.max(1, Math.abs(b))
  worst = Math.max(worst, Math.abs(a - b) / scale)
  expect(Math.abs(a - b)).toBeLessThan(1e-10 * scale)
}
afterAll(() => console.log(`[vhmm-brute] largest |ELBO - brute force| / max(1, |ELBO|): ${worst.toExponential(2)}`))

const TYPES: Type[] = ['full', 'diag', 'spherical', 'tied']
const SHAPES: [number, number[]][] = [[2, [5]], [3, [4]], [2, [6]], [3, [2, 3]]]

describe('VariationalGaussianHMM: the ELBO by enumeration over state paths', () => {
  for (const type of TYPES) {
    it.each(SHAPES)(`${type}: K = %i, lengths %j`, async (k, lengths) => {
      const n = lengths.reduce((a, b) => a + b, 0), d = 2
      const seed = 100 * k + n
      console.log(`[vhmm-brute] ${type} K=${k} lengths=${lengths.join(',')} data seed ${seed}`)
      const X = rows(seed, n, d)
      // per-state priors where the type allows them, so that every prior enters the bound
      const priors = k === 3 ? {
        betaPrior: [0.5, 1, 2], meansPrior: [[0, 0], [1, -1], [2, 0.5]], startProbPrior: [0.5, 1, 2],
        ...(type === 'tied' ? { dofPrior: 2.5, scalePrior: [[0.3, 0.1], [0.1, 0.4]] }
          : type === 'full' ? { dofPrior: [1.5, 2, 4], scalePrior: [[[0.3, 0.1], [0.1, 0.4]], [[1, 0], [0, 1]], [[0.2, -0.05], [-0.05, 0.1]]] }
            : type === 'diag' ? { dofPrior: [0.5, 2, 4], scalePrior: [[0.3, 0.4], [1, 1], [0.2, 0.1]] }
              : { dofPrior: [0.5, 2, 4], scalePrior: [0.3, 1, 0.2] }),
      } : {}
      for (const maxIter of [0, 1, 4]) {
        const h = await new VariationalGaussianHMM({ nComponents: k, covarianceType: type, seed: 3, maxIter, tol: 0, ...priors }).fit(X, { lengths })
        const chain = chainOf(h)
        const { states, klPrecision } = gaussianTerms(h, type)
        const logB = (t: number, c: number) => states[c]!.expectedLogDensity(X[t]!)
        const { value, marginals, path } = enumerate({ k, logStart: chain.logStart, logTrans: chain.logTrans, logB }, lengths)
        const kl = chain.kl(h.priors) + states.reduce((s, st) => s + st.klMean, 0) + klPrecision
        const elbo = value - kl
        close(h.elbo, elbo)
        close(h.history.at(-1)!, elbo)
        close(h.score(X, { lengths }), elbo)
        const proba = h.predictProba(X, { lengths })
        proba.forEach((row, t) => row.forEach((p, c) => expect(Math.abs(p - marginals[t]![c]!)).toBeLessThan(1e-10)))
        expect(h.predict(X, { lengths })).toEqual(path)
      }
    })
  }
})

describe('VariationalCategoricalHMM: the ELBO by enumeration over state paths', () => {
  it.each(SHAPES)('K = %i, lengths %j', async (k, lengths) => {
    const n = lengths.reduce((a, b) => a + b, 0), S = 3
    const seed = 7 * k + n
    console.log(`[vhmm-brute] categorical K=${k} lengths=${lengths.join(',')} data seed ${seed}`)
    const rng = new Rng(seed)
    const X = Array.from({ length: n }, (_, i) => (i === 0 ? S - 1 : rng.integer(S)))
    const priors = k === 3 ? { emissionProbPrior: [[0.5, 1, 2], [1, 1, 1], [3, 0.2, 0.7]], transMatPrior: [[1, 0.5, 0.2], [0.3, 2, 0.4], [0.6, 0.6, 0.6]] } : {}
    for (const maxIter of [0, 1, 4]) {
      const h = await new VariationalCategoricalHMM({ nComponents: k, seed: 5, maxIter, tol: 0, ...priors }).fit(X, { lengths })
      const chain = chainOf(h)
      const E = h.emissionProbPosterior
      const logB = (t: number, c: number) => digamma(E[c]![X[t]!]!) - digamma(E[c]!.reduce((a, b) => a + b, 0))
      const { value, marginals, path } = enumerate({ k, logStart: chain.logStart, logTrans: chain.logTrans, logB }, lengths)
      const elbo = value - chain.kl(h.priors) - E.reduce((s, row, c) => s + klDirichlet(row, h.priors.emissionProbPrior[c]!), 0)
      close(h.elbo, elbo)
      close(h.score(X, { lengths }), elbo)
      h.predictProba(X, { lengths }).forEach((row, t) => row.forEach((p, c) => expect(Math.abs(p - marginals[t]![c]!)).toBeLessThan(1e-10)))
      expect(h.predict(X, { lengths })).toEqual(path)
    }
  })
})

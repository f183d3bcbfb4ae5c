/**
 * q of the variational categorical HMM's emissions: each state's row of symbol
 * probabilities is Dirichlet (hmmlearn's emissionprob_posterior_), with its own prior
 * row (emissionprob_prior_). The expected log-densities are E[log b_cs] =
 * psi(alpha_cs) - psi(sum_s alpha_cs), through the categorical component's kernels.
 */
import type { CategoricalComponent, CategoricalParams } from '../components/categorical.js'
import type { Special } from '../common/special.js'
import { expectedLogRows, klRows, meanRows } from './dirichlet.js'
import type { EmissionPosterior } from './variational.js'

export interface DirichletEmissionParams {
  /** K*S concentrations. */
  readonly posterior: Float64Array
  /** K*S prior concentrations. */
  readonly prior: Float64Array
  /** The posterior means (hmmlearn's emissionprob_). */
  readonly point: CategoricalParams
}

export class DirichletEmissionPosterior implements EmissionPosterior<DirichletEmissionParams, CategoricalParams> {
  readonly k: number
  readonly nSymbols: number

  constructor(private readonly component: CategoricalComponent) {
    this.k = component.k
    this.nSymbols = component.nSymbols
  }

  make(posterior: Float64Array, prior: Float64Array): DirichletEmissionParams {
    return { posterior, prior, point: this.component.makeParams(meanRows(posterior, this.k, this.nSymbols)) }
  }

  expected(q: DirichletEmissionParams, special: Special): CategoricalParams {
    return { emissionProb: q.point.emissionProb, logEmission: expectedLogRows(q.posterior, this.k, this.nSymbols, special) }
  }

  point(q: DirichletEmissionParams): CategoricalParams {
    return q.point
  }

  /** The prior plus the expected symbol counts of each state. */
  update(stats: Float64Array, q: DirichletEmissionParams): DirichletEmissionParams {
    return this.make(Float64Array.from(q.prior, (a, p) => a + stats[p]!), q.prior)
  }

  kl(q: DirichletEmissionParams, special: Special): number {
    return klRows(q.posterior, q.prior, this.k, this.nSymbols, special)
  }

  nParameters(): number {
    return this.k * (this.nSymbols - 1)
  }

  pack(q: DirichletEmissionParams): Float64Array {
    return Float64Array.from(q.posterior)
  }

  unpack(vec: Float64Array, like: DirichletEmissionParams): DirichletEmissionParams {
    return this.make(vec.slice(0, like.posterior.length), like.prior)
  }

  isValid(vec: Float64Array): boolean {
    for (let p = 0; p < vec.length; p++) if (!(vec[p]! > 0 && vec[p]! < Infinity)) return false
    return true
  }
}

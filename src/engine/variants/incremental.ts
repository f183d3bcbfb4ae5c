import type { EMModel, IncrementalCapability, PreparedData, Stepper } from '../types.js'

/** What the stepper keeps between sweeps: per block its statistics, the parameters they were gathered at and its entropy term. */
interface Blocks<P, D> {
  readonly data: D
  readonly parts: readonly D[]
  readonly stats: Float64Array[]
  readonly at: P[]
  /** logLik_b - Q_b at the block's own parameters: the entropy of its E-step's q (with its share of the free energy's constant). */
  readonly entropy: number[]
}

/**
 * Incremental EM (Neal & Hinton 1998): the rows in B contiguous blocks, each block's
 * statistics kept. One step of the engine is one sweep: for each block in turn, its
 * E-step at the current parameters replaces its statistics, and the M-step runs on the
 * sum of all blocks' statistics (each recentred to the current parameters: they were
 * gathered at different ones). The sum is formed afresh from the kept blocks at every
 * M-step, in block order, so no rounding accumulates and a fixed point of the sweep is
 * exactly a fixed point of batch EM (the blocks' statistics, all at theta*, add up to
 * the batch E-step's). The first step is a batch E-step done block by block (every
 * block at the start), then one M-step: plain EM's first iteration.
 *
 * The objective recorded for a step is the free energy at the parameters it starts
 * from, F(q, theta) = sum_b [logLik_b(theta_b) - Q_b(theta_b)] + Q(sum_b s_b at theta, theta),
 * with q the blocks' posteriors from their last E-steps at theta_b. It is what
 * incremental EM increases at every block update (the E-step maximises over q_b, the
 * M-step over theta), a lower bound of the log-likelihood at theta, equal to it at the
 * start (every block at theta_0) and at a fixed point; the log-likelihood itself need
 * not rise from sweep to sweep. The engine's closing evaluation adds the exact
 * log-likelihood at the result, so `history` runs from log L(theta_0) through the free
 * energies to log L(theta_final). Counting: a sweep reads every row once, as one batch
 * EM iteration does: one fixed-point and one objective evaluation (B block updates / B).
 */
export function incrementalStepper<P, D extends PreparedData>(model: EMModel<P, D>, inc: IncrementalCapability<P, D>, blocks: number): Stepper<P, D> {
  let kept: Blocks<P, D> | null = null
  return {
    step(data, params) {
      if (kept === null || kept.data !== data) {
        const parts = inc.splitBlocks(data, blocks)
        const fresh: Blocks<P, D> = { data, parts, stats: [], at: [], entropy: [] }
        let logLik = 0
        for (const part of parts) {
          const e = model.eStep(part, params)
          logLik += e.logLik
          fresh.stats.push(e.stats)
          fresh.at.push(params)
          fresh.entropy.push(e.logLik - inc.completeLogLik(e.stats, params, data))
        }
        if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
        kept = fresh
        return { params: model.mStep(totalAt(inc, fresh, params), params, data), logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
      }
      const state = kept
      const freeEnergy = sum(state.entropy) + inc.completeLogLik(totalAt(inc, state, params), params, data)
      let current = params
      for (let b = 0; b < state.parts.length; b++) {
        const e = model.eStep(state.parts[b]!, current)
        if (!Number.isFinite(e.logLik)) return { params, logLik: e.logLik, fixedPointEvaluations: b / state.parts.length, objectiveEvaluations: 1 }
        state.stats[b] = e.stats
        state.at[b] = current
        state.entropy[b] = e.logLik - inc.completeLogLik(e.stats, current, data)
        current = model.mStep(totalAt(inc, state, current), current, data)
      }
      return { params: current, logLik: freeEnergy, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
  }
}

/** Every block's statistics at `params`, summed in block order. */
function totalAt<P, D>(inc: IncrementalCapability<P, D>, state: Blocks<P, D>, params: P): Float64Array {
  const out = new Float64Array(state.stats[0]!.length)
  for (let b = 0; b < state.stats.length; b++) {
    const s = state.at[b] === params ? state.stats[b]! : inc.recentre(state.stats[b]!, state.at[b]!, params)
    for (let j = 0; j < out.length; j++) out[j]! += s[j]!
  }
  return out
}

function sum(values: readonly number[]): number {
  let s = 0
  for (const v of values) s += v
  return s
}

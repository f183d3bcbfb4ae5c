import type { FitResult } from '../engine/types.js'
import { DegenerateError, isEmkitError } from '../core/errors.js'
import { Rng } from '../core/rng/xoshiro128.js'

/**
 * The seed of every restart, drawn in order from the estimator's seed: restart r
 * gets the same stream whether restarts run serially or on any number of workers.
 */
export function restartSeeds(seed: number, nInit: number): number[] {
  const master = new Rng(seed)
  return Array.from({ length: nInit }, () => master.nextU32())
}

/**
 * The seed of restart r's Monte Carlo chain (SEM/MCEM draws), from the restart's own
 * seed (`restartSeeds`) or, when the chain's seed is given, from that seed's restart r
 * the same way: so a given seed s at restart 1 is not seed s + 1 at restart 0, and
 * serial and worker restarts draw the same chain. It is the first output of a
 * generator on that seed rather than the seed itself, so the chain does not replay the
 * draws of the restart's initialisation (which uses `new Rng(restartSeed)`).
 */
export function chainSeed(restartSeed: number, restart: number, given?: number): number {
  const base = given === undefined ? restartSeed : restartSeeds(given, restart + 1)[restart]!
  return new Rng(base).nextU32()
}

/**
 * Run `nInit` restarts and keep the best by final log-likelihood. A restart that
 * degenerates (at initialisation or during EM) is passed over; if every one does,
 * the first failure is thrown. An aborted restart ends the search and is returned.
 */
export async function bestOfRestarts<P>(
  seed: number, nInit: number,
  runOne: (rng: Rng, restart: number, seed: number) => Promise<FitResult<P>>,
): Promise<FitResult<P>> {
  let best: FitResult<P> | null = null
  let firstError: DegenerateError | null = null
  const seeds = restartSeeds(seed, nInit)
  for (let r = 0; r < nInit; r++) {
    let result: FitResult<P>
    try {
      result = await runOne(new Rng(seeds[r]!), r, seeds[r]!)
    } catch (e) {
      if (!isEmkitError(e, 'DegenerateError')) throw e
      firstError ??= e
      continue
    }
    if (result.status === 'aborted') return result
    if (result.status === 'degenerate') {
      firstError ??= result.error ?? null
      continue
    }
    if (!best || result.logLik > best.logLik) best = result
  }
  if (best) return best
  throw firstError ?? new DegenerateError('DEGENERATE', 'Every restart degenerated; use fewer components or a larger regCovar.')
}

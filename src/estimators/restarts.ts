import type { FitResult } from '../engine/types.js'
import { DegenerateError } from '../io/errors.js'
import { Rng } from '../rng/xoshiro128.js'

/**
 * The seed of every restart, drawn in order from the estimator's seed: restart r
 * gets the same stream whether restarts run serially or on any number of workers.
 */
export function restartSeeds(seed: number, nInit: number): number[] {
  const master = new Rng(seed)
  return Array.from({ length: nInit }, () => master.nextU32())
}

/**
 * Run `nInit` restarts and keep the best by final log-likelihood. A restart that
 * degenerates (at initialisation or during EM) is passed over; if every one does,
 * the first failure is thrown. An aborted restart ends the search and is returned.
 */
export async function bestOfRestarts<P>(
  seed: number, nInit: number,
  runOne: (rng: Rng, restart: number) => Promise<FitResult<P>>,
): Promise<FitResult<P>> {
  let best: FitResult<P> | null = null
  let firstError: DegenerateError | null = null
  const seeds = restartSeeds(seed, nInit)
  for (let r = 0; r < nInit; r++) {
    let result: FitResult<P>
    try {
      result = await runOne(new Rng(seeds[r]!), r)
    } catch (e) {
      if (!(e instanceof DegenerateError)) throw e
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

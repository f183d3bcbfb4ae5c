import { InputError, UnsupportedError } from '../core/errors.js'
import type { EMModel, PreparedData, Stepper } from './types.js'

/** What the engine sees of data read from a stream: its total weight (from a first pass). */
export interface StreamData extends PreparedData {
  /** Rows (or time steps) every pass must give. */
  readonly rows: number
}

/** A prepared chunk and how many rows it holds (what a pass checks against the first). */
export interface StreamChunk<D> {
  readonly data: D
  readonly rows: number
}

/**
 * Exact batch EM over a re-readable stream: every step reads the whole stream once
 * (`open()` gives a fresh pass of prepared chunks), adds the chunks' statistics, all
 * gathered at the same parameters (so they merge by addition, as shards do), and runs
 * one M-step (or, for a variational model, one VE-sweep and VM-step). Only one chunk
 * is prepared at a time: the previous one is released before the next is used. The
 * M-step is given the last chunk as its data (the M-steps read no rows). A pass that
 * gives another number of rows than the first (a stream that ended early or changed)
 * is an InputError 'STREAM_CHANGED': its statistics would be of other data.
 */
export function streamStepper<P, D extends PreparedData>(
  model: EMModel<P, D>, open: () => AsyncIterable<StreamChunk<D>>, release: (data: D) => void,
): Stepper<P, StreamData> {
  const vb = model.variational
  async function pass(data: StreamData, params: P, iteration: string): Promise<{ next?: P; logLik: number }> {
    let total: Float64Array | null = null
    let logLik = 0, rows = 0
    let last: D | null = null
    try {
      for await (const chunk of open()) {
        if (last) release(last)
        last = chunk.data
        const e = vb ? vb.veStep(chunk.data, params) : model.eStep(chunk.data, params)
        logLik += e.logLik
        rows += chunk.rows
        if (total === null) total = Float64Array.from(e.stats)
        else for (let j = 0; j < total.length; j++) total[j]! += e.stats[j]!
      }
      if (rows !== data.rows || total === null || last === null) {
        throw new InputError('STREAM_CHANGED', `The stream gave ${rows} rows on ${iteration} but ${data.rows} on its first pass; exact EM over a stream needs a function that returns the same rows on every call (a fresh iterable each time).`, { rows, expected: data.rows })
      }
      if (!Number.isFinite(logLik)) return { logLik }
      const next = vb ? vb.vmStep(total, params, last) : model.mStep(total, params, last)
      return { next, logLik: vb?.elboAfterVM ? vb.elboAfterVM(total, next, last) : logLik }
    } finally {
      if (last) release(last)
    }
  }
  let passes = 0
  return {
    step() {
      throw new UnsupportedError('Exact EM over a stream steps asynchronously (stepAsync): it cannot be wrapped by an accelerator or variant.')
    },
    async stepAsync(data, params) {
      const { next, logLik } = await pass(data, params, `pass ${++passes + 1}`)
      if (next === undefined) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      return { params: next, logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
    async objective(data, params) {
      return (await pass(data, params, 'the closing pass')).logLik
    },
  }
}

/**
 * The building blocks of a fit sharded over machines (docs/sharding.md), with separate
 * Node processes standing in for hosts: each loads the coordinator's model (toJSON),
 * runs eStepShard on its rows and writes the statistics buffer; the coordinator merges
 * the buffers (mergeStatistics) and runs mStep. The result is bit-identical to
 * fit(X, { workers }) on this machine; malformed buffers are typed errors.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, EmkitError, GaussianMixture, mergeStatistics, statisticsSummary } from '../../src/node.js'
import { SHARD_BLOCK_ROWS } from '../../src/runtime/statistics.js'
import { blobs } from '../helpers/synthetic.js'

const run = promisify(execFile)
const SEED = 4242
console.log(`sharding-hosts test data seed ${SEED}`)
const HOST = new URL('../fixtures/sharding/host.mjs', import.meta.url).pathname
const ENTRY = pathToFileURL(new URL('../../dist/src/node.js', import.meta.url).pathname).href

const D = 3
const N = 2 * SHARD_BLOCK_ROWS + 777
const X = blobs(N, D, 3, SEED)
const OPTIONS = { nComponents: 3, seed: 5, tol: 0 }
const ITERATIONS = 3
/** Two hosts with uneven shares: block 0, and blocks 1-2 (the last one part). */
const SHARDS = [{ firstBlock: 0, lo: 0, hi: SHARD_BLOCK_ROWS }, { firstBlock: 1, lo: SHARD_BLOCK_ROWS, hi: N }]
const dir = mkdtempSync(join(tmpdir(), 'emkit-hosts-'))

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await closePool()
})

/** One iteration's E-step on every host (processes run at once); the buffers in host order. */
async function hostsEStep(gm: GaussianMixture, iteration: number): Promise<Uint8Array[]> {
  const modelFile = join(dir, `model-${iteration}.json`)
  writeFileSync(modelFile, JSON.stringify(gm.toJSON()))
  return Promise.all(SHARDS.map(async (s, h) => {
    const rows = join(dir, `rows-${h}.f64`)
    writeFileSync(rows, X.data.subarray(s.lo * D, s.hi * D))
    const out = join(dir, `stats-${iteration}-${h}.bin`)
    await run(process.execPath, [HOST, ENTRY, modelFile, rows, String(D), String(s.firstBlock), out])
    return new Uint8Array(readFileSync(out))
  }))
}

function code(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(EmkitError)
    return (e as EmkitError).code
  }
  return undefined
}

describe('a fit sharded over separate processes (hosts)', { timeout: 60_000 }, () => {
  let buffers: Uint8Array[] = []

  it('eStepShard on hosts + mergeStatistics + mStep equals fit(X, { workers }) bit for bit', async () => {
    const reference = await new GaussianMixture({ ...OPTIONS, maxIter: ITERATIONS }).fit(X, { workers: 2 })
    // the coordinator's start: the same initialisation, no iteration
    const gm = await new GaussianMixture({ ...OPTIONS, maxIter: 0 }).fit(X)
    for (let t = 0; t < ITERATIONS; t++) {
      buffers = await hostsEStep(gm, t)
      // merged in any order of the buffers: the blocks are added in block order
      const merged = mergeStatistics([buffers[1]!, buffers[0]!])
      expect(mergeStatistics(buffers)).toEqual(merged)
      const summary = statisticsSummary(merged)
      expect(summary.rows).toBe(N)
      expect(summary.logLik).toBe(reference.history[t])
      gm.mStep(merged)
    }
    expect(gm.weights).toEqual(reference.weights)
    expect(gm.means).toEqual(reference.means)
    expect(gm.covariances).toEqual(reference.covariances)
    expect(gm.nIter).toBe(ITERATIONS)
    // statistics of the previous parameters are refused by the next M-step
    expect(code(() => gm.mStep(mergeStatistics(buffers)))).toBe('STATISTICS_FORMAT')
  }, 60_000)

  it('refuses a buffer of another version, a cut or padded one, a block twice and a non-buffer (STATISTICS_FORMAT)', () => {
    expect(buffers.length).toBe(2)
    const newer = buffers[0]!.slice()
    newer[4] = 2
    expect(code(() => mergeStatistics([newer, buffers[1]!]))).toBe('STATISTICS_FORMAT')
    expect(() => mergeStatistics([newer])).toThrow(/version 2.*version 1/)
    expect(code(() => mergeStatistics([buffers[0]!.subarray(0, buffers[0]!.length - 8), buffers[1]!]))).toBe('STATISTICS_FORMAT')
    const padded = new Uint8Array(buffers[0]!.length + 8)
    padded.set(buffers[0]!)
    expect(code(() => mergeStatistics([padded]))).toBe('STATISTICS_FORMAT')
    expect(code(() => mergeStatistics([buffers[0]!.subarray(0, 10)]))).toBe('STATISTICS_FORMAT')
    const alien = buffers[0]!.slice()
    alien[0] = 0
    expect(code(() => mergeStatistics([alien]))).toBe('STATISTICS_FORMAT')
    expect(code(() => mergeStatistics([buffers[0]!, buffers[0]!]))).toBe('STATISTICS_FORMAT')
    expect(code(() => mergeStatistics(['not a buffer']))).toBe('STATISTICS_FORMAT')
    expect(code(() => mergeStatistics([]))).toBe('STATISTICS_FORMAT')
    // the inputs are not changed
    expect(statisticsSummary(buffers[0]!).rows).toBe(SHARD_BLOCK_ROWS)
  })

  it('eStepShard refuses an unfitted estimator, a bad firstBlock and another feature count', async () => {
    await expect(new GaussianMixture(OPTIONS).eStepShard(X)).rejects.toMatchObject({ code: 'NOT_FITTED' })
    const gm = await new GaussianMixture({ ...OPTIONS, maxIter: 0 }).fit(X)
    await expect(gm.eStepShard(X, { firstBlock: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await expect(gm.eStepShard({ data: new Float64Array(8), rows: 4, cols: 2 })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
  })
})

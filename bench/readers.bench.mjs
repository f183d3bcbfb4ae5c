// A Parquet file and a DuckDB table of 10^7 rows (d = 8, K = 8 overlapping clusters,
// made by DuckDB itself, single-threaded so the seeded draw is reproducible) read as
// streams of chunks of 10^5 rows: the reading alone, then one pass of online EM
// (partialFit), with resident memory before and at its peak (DuckDB's own buffers
// included: the difference is what the stream adds). EMKIT_READERS_ROWS sets
// the rows (default 10^6 so that `npm run bench` stays short; the README's are 10^7).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { fromDuckDB, fromParquet, GaussianMixture } from '../dist/src/index.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { printTable } from './lib.mjs'

const N = Number(process.env.EMKIT_READERS_ROWS ?? 1e6)
const D = 8, K = 8, CHUNK = 100000
const MB = (b) => (b / 2 ** 20).toFixed(0)

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-readers-bench-'))
  const file = join(dir, 'rows.parquet')
  // a database file: the table lives on disk (DuckDB's buffer manager), not in this process's heap
  const instance = await DuckDBInstance.create(join(dir, 'rows.duckdb'))
  const con = await instance.connect()
  try {
    await con.run('pragma threads=1')
    await con.run('select setseed(0.42)')
    const rng = new Rng(42)
    const centres = Array.from({ length: K * D }, () => (1.5 * rng.normal()).toFixed(6))
    const cols = Array.from({ length: D }, (_, j) => `[${centres.join(', ')}][c * ${D} + ${j + 1}] + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) as x${j + 1}`).join(', ')
    await con.run(`create table rows as select ${cols} from (select i, floor(random() * ${K})::int as c from range(${N}) t(i)) r order by i`)
    await con.run(`copy rows to '${file}' (format parquet, row_group_size 100000)`)
    console.log(`${N.toExponential(0)} rows x ${D}: Parquet file ${MB(statSync(file).size)} MB`)

    const sources = {
      Parquet: () => fromParquet(file, { chunkRows: CHUNK }),
      DuckDB: () => fromDuckDB('select * from rows', { connection: con, chunkRows: CHUNK }),
    }
    const rows = []
    for (const [name, open] of Object.entries(sources)) {
      let t = performance.now()
      let n = 0
      for await (const chunk of open()) n += chunk.rows
      const readS = (performance.now() - t) / 1000
      const gm = new GaussianMixture({ nComponents: K, seed: 1 })
      const before = process.memoryUsage().rss
      let peak = before
      t = performance.now()
      for await (const chunk of open()) {
        await gm.partialFit(chunk)
        peak = Math.max(peak, process.memoryUsage().rss)
      }
      const fitS = (performance.now() - t) / 1000
      if (n !== N || gm.nSeen !== N) throw new Error(`${name}: read ${n} rows, fitted ${gm.nSeen}, expected ${N}`)
      rows.push([name, readS.toFixed(1), (N / readS).toFixed(0), fitS.toFixed(1), (N / fitS).toFixed(0), MB(before), MB(peak)])
    }
    printTable(['source', 'read s', 'read rows/s', 'online pass s', 'online rows/s', 'RSS before MB', 'RSS peak MB'], rows)
  } finally {
    instance.closeSync()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The stream readers: fromCsvStream (the project's CSV reader, rows taken in chunks),
 * fromParquet (hyparquet), fromArrow (apache-arrow) and fromDuckDB (@duckdb/node-api):
 * their chunks put together are the data as parseCsv reads it; exact EM over each
 * equals in-memory EM; bad data and a missing optional package are typed errors. The
 * Parquet file is written by DuckDB (a dev dependency) and the Arrow bytes by
 * apache-arrow, from the synthetic fixture.
 */
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBInstance } from '@duckdb/node-api'
import { tableFromArrays, tableToIPC } from 'apache-arrow'
import { fromArrow, fromCsvStream, fromDuckDB, fromParquet, GaussianMixture, parseCsv } from '../../src/index.js'
import { optionalImport } from '../../src/io/parquet.js'
import { relErr } from '../helpers/data.js'

const csvPath = fileURLToPath(new URL('../fixtures/data/synth_gmm_n5000_d5_k4.csv', import.meta.url))
const whole = parseCsv(readFileSync(csvPath, 'utf8'))
const dir = mkdtempSync(join(tmpdir(), 'emkit-readers-'))
const parquetPath = join(dir, 'synth.parquet')
let instance: DuckDBInstance

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  const con = await instance.connect()
  await con.run(`create table synth as select * from read_csv('${csvPath}')`)
  await con.run(`copy synth to '${parquetPath}' (format parquet, row_group_size 1000)`)
})
afterAll(() => instance?.closeSync())

async function gather(chunks: AsyncIterable<{ rows: number; cols: number; data: Float64Array }>): Promise<{ sizes: number[]; data: number[] }> {
  const sizes: number[] = [], data: number[] = []
  for await (const c of chunks) { sizes.push(c.rows); for (let i = 0; i < c.rows * c.cols; i++) data.push(c.data[i]!) }
  return { sizes, data }
}

const expected = Array.from(whole.matrix.data)

describe('chunks put together are the data', () => {
  it('fromCsvStream: a file stream (bytes) in chunks of 1000 rows, and text split anywhere', async () => {
    const a = await gather(fromCsvStream(createReadStream(csvPath, { highWaterMark: 4096 }), { chunkRows: 1000 }))
    expect(a.data).toEqual(expected)
    expect(a.sizes.length).toBeGreaterThan(3)
    expect(Math.max(...a.sizes.slice(0, -1))).toBeLessThan(1200)
    const text = readFileSync(csvPath, 'utf8')
    const pieces = Array.from({ length: Math.ceil(text.length / 777) }, (_, i) => text.slice(i * 777, i * 777 + 777))
    expect((await gather(fromCsvStream(pieces, { chunkRows: 10 }))).data).toEqual(expected)
  })

  it('fromParquet: by path, chunks of 700 rows across row groups of 1000', async () => {
    const a = await gather(fromParquet(parquetPath, { chunkRows: 700 }))
    expect(a.sizes).toEqual([...Array(7).fill(700), 100])
    expect(a.data).toEqual(expected)
  })

  it('fromParquet and fromArrow: a subset of the columns, in the order asked', async () => {
    const names = whole.columns!
    const cols = [names[3]!, names[0]!]
    const want: number[] = []
    for (let i = 0; i < whole.matrix.rows; i++) want.push(whole.matrix.data[i * 5 + 3]!, whole.matrix.data[i * 5]!)
    expect((await gather(fromParquet(parquetPath, { columns: cols }))).data).toEqual(want)
    const table = tableFromArrays(Object.fromEntries(names.map((n, j) => [n, Float64Array.from({ length: whole.matrix.rows }, (_, i) => whole.matrix.data[i * 5 + j]!)])))
    expect((await gather(fromArrow(tableToIPC(table, 'stream'), { columns: cols }))).data).toEqual(want)
  })

  it('fromArrow: IPC bytes and a Table', async () => {
    const names = whole.columns!
    const table = tableFromArrays(Object.fromEntries(names.map((n, j) => [n, Float64Array.from({ length: whole.matrix.rows }, (_, i) => whole.matrix.data[i * 5 + j]!)])))
    expect((await gather(fromArrow(tableToIPC(table, 'file')))).data).toEqual(expected)
    expect((await gather(fromArrow(table))).data).toEqual(expected)
  })

  it('fromDuckDB: a query on an open connection, and on its own in-memory database; integers and NULL', async () => {
    const con = await instance.connect()
    const a = await gather(fromDuckDB('select * from synth', { connection: con, chunkRows: 3000 }))
    // DuckDB's vectors (2048 rows) are gathered until a chunk holds at least chunkRows
    expect(a.sizes).toEqual([4096, 904])
    expect(a.data).toEqual(expected)
    const b = await gather(fromDuckDB('select range as a, case when range = 2 then null else range * 0.5 end as b from range(4)'))
    expect(b.data).toEqual([0, 0, 1, 0.5, 2, NaN, 3, 1.5])
  })
})

describe('exact EM over each reader equals in-memory EM', () => {
  it('CSV, Parquet, Arrow and DuckDB', async () => {
    const start = await new GaussianMixture({ nComponents: 4, maxIter: 0, seed: 1 }).fit(whole.matrix)
    const settings = { nComponents: 4, tol: 1e-8, init: { weights: start.weights, means: start.means, covariances: start.covariances as number[][][] } }
    const memory = await new GaussianMixture(settings).fit(whole.matrix)
    const con = await instance.connect()
    const names = whole.columns!
    const ipc = tableToIPC(tableFromArrays(Object.fromEntries(names.map((n, j) => [n, Float64Array.from({ length: whole.matrix.rows }, (_, i) => whole.matrix.data[i * 5 + j]!)]))), 'stream')
    const sources = {
      csv: () => fromCsvStream(createReadStream(csvPath), { chunkRows: 1500 }),
      parquet: () => fromParquet(parquetPath, { chunkRows: 1500 }),
      arrow: () => fromArrow(ipc),
      duckdb: () => fromDuckDB('select * from synth', { connection: con, chunkRows: 1500 }),
    }
    for (const [name, source] of Object.entries(sources)) {
      const g = await new GaussianMixture(settings).fit(source)
      const rel = g.history.reduce((m, v, i) => Math.max(m, relErr(v, memory.history[i]!)), 0)
      console.log(`[readers] ${name}: ${g.nIter} iterations (in memory ${memory.nIter}), largest relative difference ${rel.toExponential(1)}`)
      expect(g.history.length).toBe(memory.history.length)
      expect(rel).toBeLessThan(1e-12)
    }
  }, 60_000)
})

describe('bad input', () => {
  it('a text column: ParseError naming the column and row (Parquet via DuckDB, DuckDB query)', async () => {
    const p = join(dir, 'text.parquet')
    const con = await instance.connect()
    await con.run(`copy (select 1.5 as x, 'abc' as label) to '${p}' (format parquet)`)
    await expect(gather(fromParquet(p))).rejects.toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('"label", row 1') })
    await expect(gather(fromDuckDB("select 1.0 as x, 'a' as s", { connection: con }))).rejects.toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('"s"') })
  })

  it('an unknown column, a bad chunkRows, a CSV value error at its line', async () => {
    await expect(gather(fromParquet(parquetPath, { columns: ['nope'] }))).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('"nope"') })
    await expect(gather(fromParquet(parquetPath, { chunkRows: 0 }))).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await expect(gather(fromCsvStream(['a,b\n1,2\n3,x\n']))).rejects.toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('line 3') })
    await expect(gather(fromCsvStream(['']))).rejects.toMatchObject({ code: 'EMPTY_DATA' })
  })

  it('a missing optional package: an EmkitError saying what to install', async () => {
    await expect(optionalImport('emkit-no-such-package', 'Parquet')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', message: expect.stringContaining('npm install emkit-no-such-package') })
  })
})

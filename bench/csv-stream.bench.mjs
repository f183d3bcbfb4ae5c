// fromCsvStream on a ~20 MB CSV string (440000 rows x 5 seeded numbers, a header),
// read to the end in chunks of 65536 rows, against the same text as bytes (a Node
// Readable of 64 kB Buffers) and parseCsv (the whole string, which it reads in the same
// 64k-character pieces as fromCsvStream). Median of 3 runs
// each (a run is a second or so: seconds in all, so no tinybench loop).
// EMKIT_CSV_ROWS sets the rows.
import { Readable } from 'node:stream'
import { fromCsvStream, parseCsv } from '../dist/src/index.js'
import { mixtureData, printTable } from './lib.mjs'

const N = Number(process.env.EMKIT_CSV_ROWS ?? 440000)
const D = 5

async function drain(chunks) {
  let rows = 0
  for await (const c of chunks) rows += c.rows
  return rows
}

async function median(fn) {
  const times = []
  for (let r = 0; r < 3; r++) {
    globalThis.gc?.()
    const t = performance.now()
    const rows = await fn()
    times.push(performance.now() - t)
    if (rows !== N) throw new Error(`read ${rows} rows, expected ${N}`)
  }
  return times.sort((a, b) => a - b)[1]
}

export async function run() {
  const { data } = mixtureData(N, D, 4)
  const lines = ['x1,x2,x3,x4,x5']
  for (let i = 0; i < N; i++) lines.push(Array.from(data.subarray(i * D, i * D + D), (v) => v.toFixed(6)).join(','))
  const text = lines.join('\n') + '\n'
  const bytes = Buffer.from(text)
  const pieces = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536))
  console.log(`${N} rows x ${D}: ${(text.length / 2 ** 20).toFixed(1)} MB of text`)
  const tasks = {
    'fromCsvStream(string)': () => drain(fromCsvStream(text, { chunkRows: 65536 })),
    'fromCsvStream(Readable of 64 kB Buffers)': () => drain(fromCsvStream(Readable.from(pieces), { chunkRows: 65536 })),
    'parseCsv(string)': async () => parseCsv(text).matrix.rows,
  }
  const rows = []
  for (const [name, fn] of Object.entries(tasks)) {
    const ms = await median(fn)
    rows.push([name, (ms / 1000).toFixed(2), ((text.length / 2 ** 20) / (ms / 1000)).toFixed(1), Math.round(N / (ms / 1000)).toLocaleString('en')])
  }
  printTable(['reader', 's', 'MB/s', 'rows/s'], rows)
}

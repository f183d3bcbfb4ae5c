/**
 * fromCsvStream's chunks do not depend on how the text arrives: a string (read in
 * pieces of TEXT_PIECE characters, not one character at a time), pieces of text cut
 * anywhere, or bytes (a Node Readable, an async iterable of Buffers) cut anywhere, even
 * inside a quoted field, a CR LF pair or a multi-byte character, all give the chunks,
 * values and errors that the string read a character at a time gave before (the
 * reference below is that earlier reader loop, kept here as it was).
 */
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CsvReader, parseCsv, TEXT_PIECE, textPieces, type CsvOptions } from '../../src/io/csv.js'
import { fromCsvStream, type NamedChunk } from '../../src/io/csv-stream.js'

interface Outcome { chunks: { rows: number; cols: number; data: number[]; columns: string[] | null }[]; error: { code?: string; message: string; details?: unknown } | null }

function chunkOf(c: NamedChunk | { rows: number; cols: number; data: Float64Array }, columns: string[] | null) {
  return { rows: c.rows, cols: c.cols, data: Array.from(c.data), columns }
}

function failure(e: unknown): Outcome['error'] {
  const err = e as { code?: string; message: string; details?: unknown }
  return { code: err.code, message: err.message, details: err.details }
}

/** The reader loop fromCsvStream ran before (4298408) on a string: one push per character, rows taken once chunkRows are pending. */
function perCharacter(text: string, options: CsvOptions & { chunkRows: number }): Outcome {
  const { chunkRows, ...csv } = options
  const chunks: Outcome['chunks'] = []
  try {
    const reader = new CsvReader(csv)
    for (const ch of text) {
      reader.push(ch)
      if (reader.pendingRows >= chunkRows) chunks.push(chunkOf(reader.take()!, reader.columnNames))
    }
    const rest = reader.finish()
    if (rest) chunks.push(chunkOf(rest, reader.columnNames))
    return { chunks, error: null }
  } catch (e) {
    return { chunks, error: failure(e) }
  }
}

async function streamed(source: Parameters<typeof fromCsvStream>[0], options: CsvOptions & { chunkRows: number }): Promise<Outcome> {
  const chunks: Outcome['chunks'] = []
  try {
    for await (const c of fromCsvStream(source, options)) chunks.push(chunkOf(c, c.columns))
    return { chunks, error: null }
  } catch (e) {
    return { chunks, error: failure(e) }
  }
}

const sizes = (o: Outcome) => o.chunks.map((c) => c.rows)

/** n rows in chunks of `rows`, the first at least `first` long. */
function expectedSizes(n: number, first: number, rows: number): number[] {
  const head = Math.min(n, Math.max(first, rows))
  const rest = n - head
  return [head, ...Array(Math.floor(rest / rows)).fill(rows), ...(rest % rows ? [rest % rows] : [])]
}

/** Bytes of `text` in pieces ending at the given byte offsets (which may fall inside a character). */
function byteCuts(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8')
  const ends = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let from = 0
  for (const end of [...ends, bytes.length]) { out.push(bytes.subarray(from, end)); from = end }
  return out
}

async function* asyncOf<T>(items: T[]): AsyncGenerator<T> { for (const x of items) yield x }

// Texts from the pieces that make CSV hard (quotes, CR LF, lone CR, blank lines, text,
// missing markers, characters of 2, 3 and 4 UTF-8 bytes), and well-formed tables.
const piece = fc.constantFrom('1', '2.5', '-3e2', 'NA', '', ' 4 ', '"5"', '"a,b"', '"x""y"', '"l1\nl2"', '"l1\r\nl2"', 'txt', ',', ';', '\t', '\n', '\r\n', '\r', '\n\n', '"', '"é€😀"', '€')
const csvText = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''))
const tabular = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 45 }), fc.boolean(), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .chain(([cols, rows, header, delim, eol, lastEol]) => fc.array(fc.array(fc.constantFrom('1', '-2.25', '3e-1', 'NA', '"4"', '7', '"8\r\n"'), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })
    .map((cells) => (header ? [Array.from({ length: cols }, (_, j) => `"c€${j}😀"`), ...cells] : cells).map((r) => r.join(delim)).join(eol) + (lastEol ? eol : '')))
const texts = fc.oneof(csvText, tabular, tabular)
const chunkRows = fc.constantFrom(1, 2, 3, 7, 10, 11, 19, 20, 21, 65536)
const options = fc.constantFrom<CsvOptions>({}, { missing: 'nan' }, { missing: 'nan', rowNames: 'auto' }, { missing: 'nan', delimiter: ',' }, { missing: 'nan', header: true })

describe('fromCsvStream: the chunks do not depend on how the text is split', () => {
  afterEach(() => { vi.restoreAllMocks() })

  it('a string is pushed to the reader in pieces of TEXT_PIECE characters, not one per character', async () => {
    const text = 'x,y\n' + Array.from({ length: 20000 }, (_, i) => `${i},${(i * 0.37).toFixed(6)}`).join('\n') + '\n'
    expect(text.length).toBeGreaterThan(3 * TEXT_PIECE)
    const push = vi.spyOn(CsvReader.prototype, 'push')
    const got = await streamed(text, { chunkRows: 7 })
    // before: one push per character (over 300000)
    expect(push).toHaveBeenCalledTimes(Math.ceil(text.length / TEXT_PIECE))
    push.mockRestore()
    expect(got).toEqual(perCharacter(text, { chunkRows: 7 }))
    expect(sizes(got)).toEqual(expectedSizes(20000, 19, 7))
  })

  it('textPieces: pieces of the given size that join to the text, a character outside the BMP never split', () => {
    expect([...textPieces('abcdefg', 3)]).toEqual(['abc', 'def', 'g'])
    expect([...textPieces('ab😀cd', 3)]).toEqual(['ab', '😀c', 'd'])
    expect([...textPieces('😀😀', 1)]).toEqual(['\ud83d', '\ude00', '\ud83d', '\ude00'])
    expect([...textPieces('', 3)]).toEqual([])
  })

  it('text in pieces cut anywhere: the chunks, values and error the string gave a character at a time (property)', async () => {
    await fc.assert(fc.asyncProperty(texts, fc.integer({ min: 1, max: 40 }), chunkRows, options, async (text, size, rows, opts) => {
      expect(await streamed(textPieces(text, size), { ...opts, chunkRows: rows })).toEqual(perCharacter(text, { ...opts, chunkRows: rows }))
    }), { numRuns: 500 })
  })

  it('bytes cut anywhere, inside multi-byte characters too: the same (property)', async () => {
    await fc.assert(fc.asyncProperty(texts, fc.array(fc.nat(), { maxLength: 12 }), chunkRows, options, async (text, cuts, rows, opts) => {
      expect(await streamed(asyncOf(byteCuts(text, cuts)), { ...opts, chunkRows: rows })).toEqual(perCharacter(text, { ...opts, chunkRows: rows }))
    }), { numRuns: 500 })
  })

  describe('a string longer than a piece, the piece boundary inside a quoted field, a CR LF pair or a character of 4 UTF-8 bytes', () => {
    // rows of 3 columns; a filler row of the right length puts character TEXT_PIECE where `at` asks
    const row = (i: number) => `${i},${(i / 7).toFixed(5)},"q${i % 10}"`
    function placed(eol: string, special: string, offset: number, lastEol: boolean): string {
      let text = 'a,b,c' + eol
      let i = 0
      while (text.length < TEXT_PIECE - 200) text += row(i++) + eol
      // pad the next row's first field so that the piece ends `offset` characters into `special`
      const pad = TEXT_PIECE - offset - 1 - text.length - `${i},`.length
      text += `${i},${'0'.repeat(pad)}1${special}` + eol
      i++
      while (text.length < 2.5 * TEXT_PIECE) text += row(i++) + eol
      return lastEol ? text : text.slice(0, -eol.length)
    }
    const cases = {
      'inside a quoted field': (lastEol: boolean) => {
        const t = placed('\n', ',"é, \n😀 ""x"""', 4, lastEol)
        expect([t.slice(TEXT_PIECE - 3, TEXT_PIECE), t.slice(TEXT_PIECE, TEXT_PIECE + 4)]).toEqual(['"é,', ' \n😀'])
        return t
      },
      'between CR and LF': (lastEol: boolean) => {
        const t = placed('\r\n', ',"z"', 5, lastEol)
        expect(t.slice(TEXT_PIECE - 1, TEXT_PIECE + 1)).toBe('\r\n')
        return t
      },
      'inside a character of 4 UTF-8 bytes (a UTF-16 surrogate pair)': (lastEol: boolean) => {
        const t = placed('\n', ',"😀"', 3, lastEol)
        expect(t.charCodeAt(TEXT_PIECE - 1)).toBe(0xd83d)
        return t
      },
    }
    for (const [name, make] of Object.entries(cases)) {
      for (const lastEol of [true, false]) {
        it(`${name}, ${lastEol ? 'with' : 'without'} a final line break`, async () => {
          const text = make(lastEol)
          const bytes = Buffer.from(text, 'utf8')
          // the bytes cut at TEXT_PIECE and inside the 4-byte character too
          const emoji = bytes.indexOf(Buffer.from('😀'), TEXT_PIECE - 300)
          const cuts = [TEXT_PIECE, emoji + 2, 2 * TEXT_PIECE + 1]
          const whole = parseCsv(text, { columns: [0, 1] }).matrix
          // parseCsv reads the string in the same pieces: the same numbers as the text pushed at once
          const onePush = new CsvReader({ columns: [0, 1] })
          onePush.push(text)
          expect(Array.from(whole.data)).toEqual(Array.from(onePush.end().matrix.data))
          for (const rows of [1, 7, 65536]) {
            const opts = { columns: [0, 1], chunkRows: rows }
            const before = perCharacter(text, opts)
            const asString = await streamed(text, opts)
            expect(asString).toEqual(before)
            expect(await streamed(Readable.from(byteCuts(text, cuts)), opts)).toEqual(before)
            expect(await streamed(asyncOf(byteCuts(text, [TEXT_PIECE])), opts)).toEqual(before)
            // the default stream of a whole Buffer (Readable.from gives it as one piece)
            expect(sizes(await streamed(Readable.from([bytes]), opts))).toEqual(sizes(before))
            expect(asString.error).toBeNull()
            expect(asString.chunks.flatMap((c) => c.data)).toEqual(Array.from(whole.data))
            // the delimiter is detected from the first 20 lines, whose 19 rows are the first chunk when chunkRows is smaller
            expect(sizes(asString)).toEqual(expectedSizes(whole.rows, 19, rows))
          }
        })
      }
    }
  })

  it('a bad value past the first piece: the chunks before it, then the ParseError at its line, as before', async () => {
    const lines = ['x,y', ...Array.from({ length: 30000 }, (_, i) => (i === 25000 ? `${i},oops` : `${i},${i / 3}`))]
    const text = lines.join('\r\n')
    for (const rows of [1, 7, 65536]) {
      const got = await streamed(text, { chunkRows: rows })
      expect(got).toEqual(perCharacter(text, { chunkRows: rows }))
      expect(got.error).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('line 25002') })
    }
    // a quote closed and then followed by text: thrown by the piece that holds it, after the chunks before it
    const quoted = `${lines.slice(0, 20000).join('\n')}\n"1"x,2\n`
    expect(await streamed(quoted, { chunkRows: 7 })).toEqual(perCharacter(quoted, { chunkRows: 7 }))
  })
})

/** The CSV reader fed in chunks: the same result or the same error as the whole text, wherever the chunks end; row names; sizeHint. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvReader, parseCsv, readCsv, TEXT_PIECE, type CsvOptions, type CsvResult } from '../../src/io/csv.js'

function outcome(run: () => CsvResult): unknown {
  try {
    const r = run()
    return { ...r, matrix: { ...r.matrix, data: Array.from(r.matrix.data) }, lines: Array.from(r.lines) }
  } catch (e) {
    const err = e as { code?: string; message: string; details?: unknown }
    return { code: err.code, message: err.message, details: err.details }
  }
}

function inChunks(text: string, cuts: number[], options: CsvOptions = {}): CsvResult {
  const reader = new CsvReader(options)
  let from = 0
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    reader.push(text.slice(from, cut))
    from = cut
  }
  reader.push(text.slice(from))
  return reader.end()
}

// Texts made of the pieces that make CSV hard: quotes, doubled quotes, CR LF, blank lines, text, missing markers.
const piece = fc.constantFrom('1', '2.5', '-3e2', 'NA', '', ' 4 ', '"5"', '"a,b"', '"x""y"', '"l1\nl2"', 'txt', ',', ';', '\t', '\n', '\r\n', '\r', '\n\n', '"', '\ufeff')
const csvText = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''))
const tabular = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n', '\r'))
  .chain(([cols, rows, header, delim, eol]) => fc.array(fc.array(fc.constantFrom('1', '-2.25', '3e-1', 'NA', '', '"4"', '7'), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })
    .map((cells) => (header ? [Array.from({ length: cols }, (_, j) => `"c${j}"`), ...cells] : cells).map((r) => r.join(delim)).join(eol)))

describe('CsvReader in chunks', () => {
  it('gives what parseCsv gives for the whole text, for any cuts, and so does readCsv of the string (property)', async () => {
    const options = fc.constantFrom<CsvOptions>({}, { missing: 'nan' }, { rowNames: 'auto', missing: 'nan' }, { rowNames: true, missing: 'nan' }, { delimiter: ';', missing: 'nan' }, { header: true, missing: 'nan' }, { header: false, missing: 'nan' })
    await fc.assert(fc.asyncProperty(fc.oneof(csvText, tabular), fc.array(fc.nat(), { maxLength: 8 }), options, async (text, cuts, options) => {
      const whole = outcome(() => parseCsv(text, options))
      expect(outcome(() => inChunks(text, cuts, options))).toEqual(whole)
      const read = await readCsv(text, options).then((r) => () => r, (e: unknown) => () => { throw e })
      expect(outcome(read)).toEqual(whole)
    }), { numRuns: 600 })
  })

  it('one character at a time, across a CR LF, a doubled quote and a quoted newline', () => {
    const text = '"a","b ""q"""\r\n1,"2\r\n"\r\n\r\n3,4\r\n'
    const whole = parseCsv(text, { missing: 'nan' })
    const reader = new CsvReader({ missing: 'nan' })
    for (const ch of text) reader.push(ch)
    const r = reader.end()
    expect(r.columns).toEqual(['a', 'b "q"'])
    expect(Array.from(r.lines)).toEqual([2, 5])
    expect(outcome(() => r)).toEqual(outcome(() => whole))
  })

  it('readCsv takes sync and async chunk iterables', async () => {
    async function* chunks() { yield 'x,y\n1,'; yield '2\n3,4\n' }
    expect(Array.from((await readCsv(chunks())).matrix.data)).toEqual([1, 2, 3, 4])
    expect(Array.from((await readCsv(['x,y\n1,', '2\n'])).matrix.data)).toEqual([1, 2])
  })

  it('errors after the first bad value still name the whole column (the reading goes on to describe it)', () => {
    const text = 'a,b\n1,2\n3,oops\n5,6\n'
    expect(outcome(() => inChunks(text, [9, 12]))).toEqual(outcome(() => parseCsv(text)))
    // a ragged line after a bad value is reported first, as before
    expect(outcome(() => parseCsv('a,b\n1,x\n3\n'))).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/^line 3 has 1 field but line 1 has 2/) })
  })
})

describe('row names', () => {
  it("'auto' skips R's write.csv column (\"\" header, distinct names or 1..n) and write.table's (header one short)", () => {
    const csv = parseCsv('"","x","y"\n"a",1,2\n"b",3,4\n', { rowNames: 'auto' })
    expect(csv).toMatchObject({ columns: ['x', 'y'], hasRowNames: true, rowNames: ['a', 'b'] })
    expect(Array.from(csv.matrix.data)).toEqual([1, 2, 3, 4])
    const table = parseCsv('x y\n1 1 2\n2 3 4\n'.replace(/ /g, '\t'), { rowNames: 'auto' })
    expect(table).toMatchObject({ columns: ['x', 'y'], hasRowNames: true, rowNames: null })
    expect(Array.from(table.matrix.data)).toEqual([1, 2, 3, 4])
  })

  it('is off by default, and a first column that is not row names stays data', () => {
    expect(parseCsv('"","x"\n1,2\n2,3\n').columns).toEqual(['V1', 'x'])
    // not 1..n: data
    expect(parseCsv('"","x"\n5,2\n7,3\n', { rowNames: 'auto' })).toMatchObject({ columns: ['V1', 'x'], hasRowNames: false })
    // named header: data (and text there is the usual error)
    expect(() => parseCsv('id,x\na,2\nb,3\n', { rowNames: 'auto' })).toThrow(/column 1 \("id"\) is not numeric/)
    // repeated names: not row names
    expect(() => parseCsv('"",x\na,2\na,3\n', { rowNames: 'auto' })).toThrow(/is not numeric/)
  })

  it('later rows must keep the pattern; true always skips the first column; --columns count without it', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `"r${i % 11}",${i},${2 * i}`).join('\n')
    expect(() => parseCsv(`"",x,y\n${rows}\n`, { rowNames: 'auto' })).toThrow(/line 13, column 1: "r0" breaks the row names/)
    expect(parseCsv('1,2,3\n4,5,6\n', { rowNames: true })).toMatchObject({ hasRowNames: true, matrix: { cols: 2 } })
    const picked = parseCsv('"","x","y"\n"a",1,2\n"b",3,4\n', { rowNames: 'auto', columns: [1] })
    expect(picked.columns).toEqual(['y'])
    expect(Array.from(picked.matrix.data)).toEqual([2, 4])
  })
})

describe('sizeHint', () => {
  it('sizes the arrays once from the first rows, and the result does not change', () => {
    const text = 'x,y\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i / 7}`).join('\n') + '\n'
    const plain = parseCsv(text)
    const hinted = inChunks(text, Array.from({ length: 40 }, (_, i) => i * 2000), { sizeHint: text.length })
    expect(outcome(() => hinted)).toEqual(outcome(() => plain))
    // one allocation, about the size of the whole (the 1.1 margin), not the next power of two
    expect(hinted.matrix.data.buffer.byteLength / 8).toBeLessThan(2 * 5000 * 1.25)
    // a wrong hint only costs a doubling
    expect(outcome(() => inChunks(text, [1000, 30000], { sizeHint: 10 }))).toEqual(outcome(() => plain))
    expect(() => new CsvReader({ sizeHint: -1 })).toThrow(/sizeHint/)
  })

  it('parseCsv and readCsv of a whole string read it in pieces as fromCsvStream does, so the hint sizes the arrays from the first piece', async () => {
    const text = 'x,y\n' + Array.from({ length: 20000 }, (_, i) => `${i},${i / 7}`).join('\n') + '\n'
    expect(text.length).toBeGreaterThan(3 * TEXT_PIECE)
    const plain = parseCsv(text)
    for (const hinted of [parseCsv(text, { sizeHint: text.length }), await readCsv(text, { sizeHint: text.length })]) {
      expect(outcome(() => hinted)).toEqual(outcome(() => plain))
      // sized once near 20000 x 2 (not grown by doubling to 2^16 values while the one piece was read)
      expect(hinted.matrix.data.buffer.byteLength / 8).toBeLessThan(2 * 20000 * 1.25)
    }
  })
})

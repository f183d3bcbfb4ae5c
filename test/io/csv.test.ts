import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/io/csv.js'

describe('parseCsv', () => {
  it('detects a quoted header and parses numbers', () => {
    const r = parseCsv('"eruptions","waiting"\n3.6,79\n1.8,54\n')
    expect(r.columns).toEqual(['eruptions', 'waiting'])
    expect(r.matrix.rows).toBe(2)
    expect(Array.from(r.matrix.data)).toEqual([3.6, 79, 1.8, 54])
  })
  it('no header when the first row is numeric; blank lines ignored; ; and tab delimiters', () => {
    expect(parseCsv('1,2\n\n3,4\n').columns).toBeNull()
    expect(Array.from(parseCsv('1;2\n3;4').matrix.data)).toEqual([1, 2, 3, 4])
    expect(Array.from(parseCsv('1\t2\n3\t4').matrix.data)).toEqual([1, 2, 3, 4])
  })
  it('quoted fields with delimiters and doubled quotes', () => {
    const r = parseCsv('"a, b","c ""d"""\n1,2\n')
    expect(r.columns).toEqual(['a, b', 'c "d"'])
  })
  it('a text value in a data column names the column and the line', () => {
    let err: any
    try { parseCsv('x,species\n1,setosa\n') } catch (e) { err = e }
    expect(err.code).toBe('PARSE_ERROR')
    expect(err.message).toContain('species')
    expect(err.message).toMatch(/line 2/)
  })
  it('ragged lines are an error', () => {
    let err: any
    try { parseCsv('1,2\n3\n') } catch (e) { err = e }
    expect(err?.code).toBeDefined()
  })
})

function parseError(text: string, opts?: Parameters<typeof parseCsv>[1]): any {
  try { parseCsv(text, opts) } catch (e) { return e }
  throw new Error('expected parseCsv to throw')
}

describe('parseCsv: header detection', () => {
  it('an unquoted header over numbers', () => {
    const r = parseCsv('x,y\n1,2\n3,4\n')
    expect(r.columns).toEqual(['x', 'y'])
    expect(r.matrix).toMatchObject({ rows: 2, cols: 2 })
    expect(Array.from(r.lines)).toEqual([2, 3])
  })
  it("R's write.csv row names: an empty first header cell is named V1", () => {
    const r = parseCsv('"","eruptions","waiting"\n"1",3.6,79\n"2",1.8,54\n')
    expect(r.columns).toEqual(['V1', 'eruptions', 'waiting'])
    expect(Array.from(r.matrix.data)).toEqual([1, 3.6, 79, 2, 1.8, 54])
  })
  it('a headerless file whose text column is data, not a header: the error names column and line 1', () => {
    const e = parseError('5.1,3.5,setosa\n4.9,3.0,setosa\n')
    expect(e.code).toBe('PARSE_ERROR')
    expect(e.message).toMatch(/^column 3 is not numeric \("setosa" at line 1\)/)
    expect(e.details).toMatchObject({ line: 1, column: 2, columnName: null, numericColumns: [0, 1] })
  })
  it('header: true / false force the choice', () => {
    expect(parseCsv('1,2\n3,4\n', { header: true }).columns).toEqual(['1', '2'])
    expect(parseError('x,y\n1,2\n', { header: false }).message).toMatch(/line 1/)
  })
  it('a header with no data rows is EMPTY_DATA; so is an empty text', () => {
    expect(parseError('x,y\n').code).toBe('EMPTY_DATA')
    expect(parseError('').code).toBe('EMPTY_DATA')
    expect(parseError('\n \n\n').code).toBe('EMPTY_DATA')
  })
})

describe('parseCsv: fields, lines and delimiters', () => {
  it('CRLF and CR line ends, a byte-order mark, spaces around fields, trailing newline or not', () => {
    for (const text of ['\ufeffa,b\r\n1, 2\r\n 3 ,4', 'a,b\r1,2\r3,4\r']) {
      const r = parseCsv(text)
      expect(r.columns).toEqual(['a', 'b'])
      expect(Array.from(r.matrix.data)).toEqual([1, 2, 3, 4])
    }
  })
  it('blank lines and all-empty lines are skipped, and line numbers still count them', () => {
    const r = parseCsv('a,b\n\n1,2\n,\n   \n3,4\n\n')
    expect(r.matrix.rows).toBe(2)
    expect(Array.from(r.lines)).toEqual([3, 6])
  })
  it('a quoted field may hold a newline; later line numbers stay right', () => {
    const e = parseError('"a\nb",c\n1,2\n3,x\n')
    expect(e.message).toMatch(/line 4/)
    expect(e.message).toContain('"c"')
  })
  it('quoted numbers are numbers', () => {
    expect(Array.from(parseCsv('"1","2.5"\n"-3","4e2"\n').matrix.data)).toEqual([1, 2.5, -3, 400])
  })
  it('number syntax: signs, exponents, leading dots', () => {
    expect(Array.from(parseCsv('+1,-.5\n1e-3,2.E2\n').matrix.data)).toEqual([1, -0.5, 0.001, 200])
  })
  it('semicolons with decimal commas (European exports) and tabs', () => {
    const r = parseCsv('x;y\n3,6;79\n1,8;54\n')
    expect(r.delimiter).toBe(';')
    expect(Array.from(r.matrix.data)).toEqual([3.6, 79, 1.8, 54])
    const t = parseCsv('x\ty\n1.5\t2\n')
    expect(t.delimiter).toBe('\t')
    expect(Array.from(t.matrix.data)).toEqual([1.5, 2])
  })
  it('a comma inside quotes does not fool delimiter detection', () => {
    const r = parseCsv('"a,b";c\n1;2\n')
    expect(r.delimiter).toBe(';')
    expect(r.columns).toEqual(['a,b', 'c'])
  })
  it('a given delimiter wins over detection', () => {
    expect(parseCsv('1;2,5\n3;4,5\n', { delimiter: ';' }).matrix.data[1]).toBe(2.5)
  })
  it('one column', () => {
    const r = parseCsv('waiting\n79\n54\n74\n')
    expect(r.columns).toEqual(['waiting'])
    expect(r.matrix).toMatchObject({ rows: 3, cols: 1 })
  })
})

describe('parseCsv: errors say where and what to do', () => {
  it('a text value in a mostly numeric column', () => {
    const e = parseError('a,b\n1,2\n3,oops\n5,6\n')
    expect(e.message).toBe('line 3, column 2 ("b"): "oops" is not a number. emkit fits numeric columns only: fix that value, remove or encode that column, or select the numeric columns only.')
    expect(e.details).toMatchObject({ line: 3, column: 1, columnName: 'b', value: 'oops', wholeColumn: false, numericColumns: ['a'] })
  })
  it('a whole text column says the column is not numeric', () => {
    const e = parseError('x,species\n1,setosa\n2,virginica\n')
    expect(e.message).toMatch(/^column 2 \("species"\) is not numeric \("setosa" at line 2\)\. .*remove or encode that column/)
    expect(e.details).toMatchObject({ wholeColumn: true, numericColumns: ['x'] })
  })
  it('ragged lines name both line numbers and the counts', () => {
    const e = parseError('a,b\n1,2\n3\n')
    expect(e.code).toBe('PARSE_ERROR')
    expect(e.message).toMatch(/line 3 has 1 field but line 1 has 2/)
    const e2 = parseError('1,2\n3,4,5\n')
    expect(e2.message).toMatch(/line 2 has 3 fields/)
  })
  it('an unclosed quote', () => {
    expect(parseError('a,b\n1,"2\n3,4\n').message).toMatch(/line 2: a quoted field is never closed/)
  })
  it('text after a closing quote', () => {
    expect(parseError('"a"b,c\n1,2\n').code).toBe('PARSE_ERROR')
  })
  it("missing values are errors by default, NaN with missing: 'nan'", () => {
    for (const text of ['a,b\n1,\n3,4\n', 'a,b\n1,NA\n3,4\n', 'a,b\n1,NaN\n3,4\n']) {
      const e = parseError(text)
      expect(e.message).toMatch(/missing value .* line 2, column 2 \("b"\)/)
      expect(e.message).toMatch(/drop or impute/)
      const r = parseCsv(text, { missing: 'nan' })
      expect(Number.isNaN(r.matrix.data[1])).toBe(true)
    }
  })
  it('infinite values are errors', () => {
    expect(parseError('a\n1\nInf\n').message).toMatch(/infinite value/)
  })
  it('bad options are OptionErrors', () => {
    expect(parseError('1\n', { delimiter: '|' as any }).code).toBe('INVALID_OPTION')
    expect(parseError('1\n', { header: 'yes' as any }).code).toBe('INVALID_OPTION')
    expect(parseError('1\n', { missing: 'drop' as any }).code).toBe('INVALID_OPTION')
    expect(() => parseCsv(42 as any)).toThrow(/string/)
  })
})

describe('parseCsv: column selection', () => {
  const iris = 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n'
  it('by name or 0-based index, in the order given; other columns may be text', () => {
    const r = parseCsv(iris, { columns: ['sepal_width', 0] })
    expect(r.columns).toEqual(['sepal_width', 'sepal_length'])
    expect(Array.from(r.matrix.data)).toEqual([3.5, 5.1, 3.2, 7.0])
  })
  it('an unknown name lists the header; an index out of range gives the range', () => {
    expect(parseError(iris, { columns: ['petal'] }).message).toMatch(/no column named "petal"; the header has "sepal_length"/)
    expect(parseError(iris, { columns: [3] }).message).toMatch(/0\.\.2/)
    expect(parseError('1,2\n', { columns: ['a'] }).message).toMatch(/no header row/)
    expect(parseError(iris, { columns: [] }).code).toBe('INVALID_OPTION')
  })
})

describe('parseCsv on the Old Faithful file', () => {
  it('reads the reference CSV exactly as the embedded data', async () => {
    const { readFileSync } = await import('node:fs')
    const { faithful } = await import('../../src/data/faithful.js')
    const text = readFileSync(new URL('../fixtures/data/faithful.csv', import.meta.url), 'utf8')
    const r = parseCsv(text)
    expect(r.columns).toEqual(['eruptions', 'waiting'])
    expect(r.matrix.rows).toBe(272)
    expect(Array.from(r.matrix.data)).toEqual(faithful.rows.flat())
  })
})

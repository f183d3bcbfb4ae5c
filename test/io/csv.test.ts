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

/**
 * RFC 4180 records from CSV text given in chunks of any size (a chunk may end inside a
 * field, a quote or a CR LF pair). Each record is handed on as soon as its line ends,
 * so a reader keeps one record at a time, never the whole text.
 *
 * - A quote opens a quoted field only at its start (leading blanks are dropped); `""`
 *   inside is one quote; newlines inside are kept as `\n` and still counted as lines.
 * - After a closing quote only blanks may come before the delimiter or the line end.
 * - Unquoted fields are trimmed; blank records (every field empty and unquoted) are dropped.
 */
import { ParseError } from '../core/errors.js'

/** One record: its fields, whether each was quoted, and the 1-based line where it starts. */
export interface CsvRecord {
  readonly fields: string[]
  readonly quoted: boolean[]
  readonly line: number
}

const QUOTE = 34
const LF = 10
const CR = 13

/** Where the tokenizer is: in a plain field, inside quotes, just past a quote inside quotes, after a closing quote. */
const FIELD = 0, QUOTED = 1, QUOTE_IN_QUOTED = 2, AFTER_QUOTE = 3
type State = typeof FIELD | typeof QUOTED | typeof QUOTE_IN_QUOTED | typeof AFTER_QUOTE

/** The characters String.prototype.trim removes. */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
}

export class CsvTokenizer {
  private fields: string[] = []
  private quoted: boolean[] = []
  /** The current field's text carried over from earlier chunks (or, quoted, decoded so far). */
  private field = ''
  /** Whether the unquoted field so far is blank (so a quote may still open it). */
  private blank = true
  private state: State = FIELD
  private line = 1
  private recordLine = 1
  private quoteLine = 1
  /** The previous chunk ended with CR: a LF starting this one belongs to it. */
  private skipLF = false
  private readonly delimiter: number

  constructor(delimiter: string, private readonly emit: (record: CsvRecord) => void) {
    this.delimiter = delimiter.charCodeAt(0)
  }

  push(s: string): void {
    const n = s.length
    const delim = this.delimiter
    let i = 0
    if (this.skipLF) {
      this.skipLF = false
      if (n > 0 && s.charCodeAt(0) === LF) i = 1
    }
    let start = i
    while (i < n) {
      const c = s.charCodeAt(i)
      switch (this.state) {
        case FIELD:
          if (c === delim) {
            this.endField(this.field + s.slice(start, i), false)
            start = ++i
          } else if (c === LF || c === CR) {
            this.endField(this.field + s.slice(start, i), false)
            this.endRecord()
            i = this.newline(s, i, c)
            start = i
          } else if (c === QUOTE && this.blank) {
            this.state = QUOTED
            this.quoteLine = this.line
            this.field = ''
            start = ++i
          } else {
            if (this.blank && !isBlank(c)) this.blank = false
            i++
          }
          break
        case QUOTED:
          if (c === QUOTE) {
            this.field += s.slice(start, i)
            this.state = QUOTE_IN_QUOTED
            start = ++i
          } else if (c === LF || c === CR) {
            this.field += s.slice(start, i) + '\n'
            i = this.newline(s, i, c)
            start = i
          } else {
            i++
          }
          break
        case QUOTE_IN_QUOTED:
          // `""` is a quote inside the field; anything else means the field closed.
          if (c === QUOTE) {
            this.field += '"'
            this.state = QUOTED
            start = ++i
          } else {
            this.state = AFTER_QUOTE
          }
          break
        case AFTER_QUOTE:
          if (c === delim) {
            this.endField(this.field, true)
            start = ++i
          } else if (c === LF || c === CR) {
            this.endField(this.field, true)
            this.endRecord()
            i = this.newline(s, i, c)
            start = i
          } else if (c === 32 || c === 9) {
            i++
          } else {
            throw new ParseError(`line ${this.line}: unexpected character ${JSON.stringify(s[i])} after a closing quote; quote the whole field and write a quote inside it as "".`, { line: this.line })
          }
          break
      }
    }
    if (this.state === FIELD || this.state === QUOTED) this.field += s.slice(start, n)
  }

  /** The text has ended: hand on the last record (a line without a final newline). */
  finish(): void {
    if (this.state === QUOTED) {
      throw new ParseError(`line ${this.quoteLine}: a quoted field is never closed (missing '"'); close the quote or remove it.`, { line: this.quoteLine })
    }
    if (this.state === FIELD) {
      if (this.field !== '' || this.fields.length > 0) {
        this.endField(this.field, false)
        this.endRecord()
      }
    } else {
      this.endField(this.field, true)
      this.endRecord()
    }
  }

  /** Past the line break at i (CR LF counts once); the next record starts on the next line. */
  private newline(s: string, i: number, c: number): number {
    this.line++
    if (c === CR) {
      if (i + 1 === s.length) this.skipLF = true
      else if (s.charCodeAt(i + 1) === LF) i++
    }
    if (this.state !== QUOTED) this.recordLine = this.line
    return i + 1
  }

  private endField(text: string, quoted: boolean): void {
    this.fields.push(quoted ? text : text.trim())
    this.quoted.push(quoted)
    this.field = ''
    this.blank = true
    this.state = FIELD
  }

  private endRecord(): void {
    const { fields, quoted } = this
    this.fields = []
    this.quoted = []
    let blank = true
    for (let j = 0; j < fields.length; j++) {
      if (fields[j] !== '' || quoted[j]) { blank = false; break }
    }
    if (!blank) this.emit({ fields, quoted, line: this.recordLine })
  }
}

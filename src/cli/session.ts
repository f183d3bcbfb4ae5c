/** One run of the command: its output streams, the progress line, warnings and the files it writes. */
import type { IterationInfo } from '../engine/types.js'
import { FileError } from './data.js'
import type { CliIO } from './io.js'
import { Progress } from './progress.js'

export class Session {
  readonly progress: Progress
  private wroteFile = false
  private readonly closing: (() => void)[] = []

  constructor(readonly io: CliIO, private readonly quiet: boolean) {
    this.progress = new Progress(io, !quiet && io.stderrIsTTY === true)
  }

  /** A remark on stderr (what is being done), silenced by --quiet. */
  note(text: string): void {
    if (this.quiet) return
    this.progress.clear()
    this.io.stderr(`emkit: ${text}
`)
  }

  /** Run `f` when the command ends (close), whatever its outcome. */
  onClose(f: () => void): void {
    this.closing.push(f)
  }

  /** Run what onClose registered, last first: every one of them (a release that throws must not keep the others' memory), then throw the first error. */
  close(): void {
    let failed: { error: unknown } | null = null
    for (const f of this.closing.splice(0).reverse()) {
      try {
        f()
      } catch (error) {
        failed ??= { error }
      }
    }
    if (failed) throw failed.error
  }

  out(text: string): void {
    this.progress.clear()
    this.io.stdout(text)
  }

  warn(text: string): void {
    this.progress.clear()
    this.io.stderr(`emkit: warning: ${text}\n`)
  }

  /** Write a file (a text, or chunks written as they are made) and say so on stdout (`what`: 'Plot', 'Labels', ...); null `what`: say nothing. */
  write(path: string, text: string | Iterable<string>, what: string | null): void {
    try {
      if (typeof text === 'string') this.io.writeFile(path, text)
      else if (this.io.writeChunks) this.io.writeChunks(path, text)
      else this.io.writeFile(path, [...text].join(''))
    } catch (e) {
      throw new FileError(`cannot write ${path}: ${(e as Error).message}`)
    }
    if (what === null) return
    this.out(`${this.wroteFile ? '' : '\n'}${what} written to ${path}\n`)
    this.wroteFile = true
  }
}

/** "start 2/5, iteration 41, log-likelihood -1130.26" for the progress line. */
export function iterationText(info: IterationInfo<unknown> & { restart: number }, nInit: number): string {
  const start = nInit > 1 ? `start ${info.restart + 1}/${nInit}, ` : ''
  return `${start}iteration ${info.iteration}, log-likelihood ${Number.isFinite(info.logLik) ? info.logLik.toPrecision(8) : String(info.logLik)}`
}

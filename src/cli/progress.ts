/**
 * One progress line on stderr, redrawn in place (carriage return, erase line), only
 * when stderr is a terminal and --quiet is not given. It appears once the work has
 * run for a moment, so quick runs print nothing, and is redrawn at most ten times a
 * second; it is erased before anything else is printed.
 */
import type { CliIO } from './io.js'

const DELAY_MS = 300
const EVERY_MS = 100
const WIDTH = 100
const ERASE = '\r\x1b[2K'

export class Progress {
  private readonly start: number
  private last = -Infinity
  private shown = false
  private readonly now: () => number

  constructor(private readonly io: CliIO, private readonly enabled: boolean) {
    this.now = io.now ? () => io.now!() : Date.now
    this.start = this.now()
  }

  /** Show `text` (lazily: `text` is only built when the line is due). */
  update(text: () => string): void {
    if (!this.enabled) return
    const t = this.now()
    if (t - this.start < DELAY_MS || t - this.last < EVERY_MS) return
    this.last = t
    const line = text()
    this.io.stderr(ERASE + (line.length > WIDTH ? line.slice(0, WIDTH - 1) + '…' : line))
    this.shown = true
  }

  clear(): void {
    if (!this.shown) return
    this.io.stderr(ERASE)
    this.shown = false
  }
}

/** The command's session: what it runs when the command ends. */
import { describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/io.js'
import { Session } from '../../src/cli/session.js'

const io: CliIO = { stdout: () => {}, stderr: () => {}, readFile: () => '', writeFile: () => {} }

describe('Session.close', () => {
  it('runs every release, last registered first, even after one throws, then throws the first error', () => {
    const s = new Session(io, true)
    const ran: string[] = []
    const first = new Error('first'), second = new Error('second')
    s.onClose(() => { ran.push('a') })
    s.onClose(() => { ran.push('b'); throw second })
    s.onClose(() => { ran.push('c') })
    s.onClose(() => { ran.push('d'); throw first })
    expect(() => s.close()).toThrow(first)
    expect(ran).toEqual(['d', 'c', 'b', 'a'])
    // released once: a second close runs nothing
    expect(() => s.close()).not.toThrow()
    expect(ran).toHaveLength(4)
  })
})

/** The EmkitError a call throws or a promise rejects with (anything else is rethrown; no error fails the test). */
import { EmkitError } from '../../src/index.js'

export function thrownBy(f: () => unknown): EmkitError {
  try { f() } catch (e) { if (e instanceof EmkitError) return e; throw e }
  throw new Error('expected an EmkitError')
}

export async function rejection(p: Promise<unknown>): Promise<EmkitError> {
  try { await p } catch (e) { if (e instanceof EmkitError) return e; throw e }
  throw new Error('expected a rejection')
}

/** A full garbage collection on demand, for tests that compare memory before and after (not garbage not yet collected). */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | null = null

/** Collect everything now: V8's gc, exposed by its flag and taken from a fresh context (the flag does not reach the running one's global). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}

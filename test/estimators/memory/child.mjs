/**
 * Start rss-loop.mjs in a process of its own and read its JSON (memory.test.ts and
 * soak.mjs share this). The child's heap sizes are fixed (young generation 4 MiB, old
 * generation capped at 32 MiB, collections on one thread, one malloc arena): otherwise
 * V8 grows its heap capacity under allocation pressure and keeps it (RSS +30% with
 * 7 MiB of live objects), which says nothing about what a fit keeps.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const CHILD_FLAGS = ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=4', '--max-old-space-size=32']

const script = fileURLToPath(new URL('./rss-loop.mjs', import.meta.url))

/**
 * warm-up rounds, then `fits` rounds (of the round `name` alone, or cycling through
 * all). `lock`: a file to hold a shared flock(1) on while the child runs (the shared
 * machine's CPU lock), taken per child so others' exclusive runs can come in between.
 */
export async function runLoop({ warmUp, fits, name, lock }) {
  const node = [process.execPath, ...CHILD_FLAGS, script, String(warmUp), String(fits), ...(name === undefined ? [] : [name])]
  const [command, ...args] = lock ? ['flock', '-s', lock, ...node] : node
  const { stdout } = await promisify(execFile)(command, args, { env: { ...process.env, MALLOC_ARENA_MAX: '1' }, maxBuffer: 1 << 20 })
  return JSON.parse(stdout.trim().split('\n').at(-1))
}

/** The middle of three readings. */
export const median = (v) => [...v].sort((a, b) => a - b)[1]

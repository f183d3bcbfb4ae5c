/**
 * The Node built-ins the pool needs, loaded when first used instead of imported at the
 * top of pool.ts: static imports of node:fs, node:os, node:path and node:url made every
 * cold import of the Node entry ~1-2.5 ms slower, pool used or not.
 * `process.getBuiltinModule` (Node >= 20.16 / 22.3) loads one synchronously; older
 * Node gets them by dynamic import when the first pool starts (loadBuiltins), and
 * until then uses the fallbacks below.
 */
import type * as Fs from 'node:fs'
import type * as Os from 'node:os'
import type * as Url from 'node:url'

interface Builtins {
  fs: typeof Fs
  os: typeof Os
  url: typeof Url
}

const loaded: Partial<Builtins> = {}

function builtin<K extends keyof Builtins>(key: K): Builtins[K] | undefined {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule
  return (loaded[key] ??= get?.(`node:${key}`) as Builtins[K] | undefined)
}

/** All of them (async: works on every Node version). */
export async function loadBuiltins(): Promise<Builtins> {
  const [fs, os, url] = await Promise.all([import('node:fs'), import('node:os'), import('node:url')])
  loaded.fs ??= fs
  loaded.os ??= os
  loaded.url ??= url
  return loaded as Builtins
}

/** os.availableParallelism(); on old Node before the first pool, navigator.hardwareConcurrency (Node 21+) or 1 (serial: always correct). */
export function cores(): number {
  const os = builtin('os')
  if (os) return os.availableParallelism()
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1
}

/** A file: URL as a path: url.fileURLToPath, or on old Node before the first pool the decoded pathname (right on POSIX). */
export function toPath(url: URL): string {
  const nodeUrl = builtin('url')
  return nodeUrl ? nodeUrl.fileURLToPath(url) : decodeURIComponent(url.pathname)
}

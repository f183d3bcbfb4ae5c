/**
 * The Piscina pool (Node only): worker threads that run emkit tasks (tasks.ts).
 *
 * Every worker gets the compiled `WebAssembly.Module` of the build in use in its
 * workerData, once (structured clone shares the compiled code; the worker hands it to
 * provideWasmModule and instantiates it on first use), and each task its data as a
 * Float64Array over a SharedArrayBuffer, so the rows exist once however many tasks
 * read them.
 *
 * Pools are made lazily, one per thread count, and shared by every fit. Idle workers
 * are unref'd and leave after IDLE_TIMEOUT_MS, so a process that used the pool exits
 * on its own; `closePool()` ends them at once. A worker that throws or dies rejects
 * the fit with an EmkitError 'WORKER_FAILED'; Piscina replaces the worker, and the
 * pool stays usable.
 */
import type { Piscina } from 'piscina'
import { EmkitError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import { type CopyHelp, dropSpareCopy, scannedSharedCopy } from './shared-copy.js'
import { simdSupported, wasmModule } from '../kernels/index.js'
import type { BackendName } from '../kernels/types.js'
import type { WasmBackendName } from '../kernels/wasm/index.js'
import { cores, loadBuiltins, toPath } from './builtins.js'
import { type ParallelRunner, setParallelRunner, type ShardGroup, type ShardTask } from '../runtime/runner.js'
import { fromWireError, type Task, type TaskResult, type WireError } from '../runtime/tasks.js'
import type { MessagePort } from 'node:worker_threads'
import { workerImports } from '../registry/registry.js'

/** Idle workers leave after this long (and never hold the process open meanwhile). */
export const IDLE_TIMEOUT_MS = 10_000

/**
 * The compiled worker entry: from the Node bundle (dist/emkit.node.js) the worker
 * bundle beside it (dist/emkit.worker.js); from dist/src/parallel/pool.js the
 * worker.js next to it; from the TypeScript source (vitest), the package's
 * dist/src/parallel/worker.js.
 */
export function workerFile(): string {
  const here = import.meta.url
  const entry = here.endsWith('.ts') ? '../../dist/src/parallel/worker.js' : here.endsWith('/emkit.node.js') ? './emkit.worker.js' : './worker.js'
  return toPath(new URL(entry, here))
}

const pools = new Map<number, Piscina>()
/** piscina is imported on first use: importing it costs ~50 ms, which a process that never fans out should not pay. */
let PiscinaClass: typeof Piscina | undefined

/** What every worker gets once, at start: the compiled module of the wasm build in use. */
export interface PoolWorkerData {
  readonly modules: { readonly name: WasmBackendName; readonly module: WebAssembly.Module }[]
}

/**
 * The compiled module of the build the first parallel fit uses (already compiled on
 * this thread by then): compiling and cloning the other build for every worker would
 * be wasted on a pool that never runs it. A worker asked for a build it was not given
 * compiles that one itself from the inlined bytes.
 */
async function compiledModules(backend: BackendName): Promise<PoolWorkerData['modules']> {
  if (backend === 'js') return []
  const module = await wasmModule(backend)
  // known by now: compiling the SIMD build settled whether this runtime has SIMD
  const name: WasmBackendName = backend === 'wasm' && simdSupported() ? 'wasm' : 'wasm-scalar'
  return [{ name, module }]
}

async function pool(threads: number, backend: BackendName): Promise<Piscina> {
  let p = pools.get(threads)
  if (!p) {
    const { fs } = await loadBuiltins()
    const filename = workerFile()
    if (!fs.existsSync(filename)) {
      throw new EmkitError('WORKER_FAILED', `The emkit worker entry ${filename} does not exist: build the package (npm run build) or use workers: 1.`, { filename })
    }
    PiscinaClass ??= (await import('piscina')).Piscina
    const workerData: PoolWorkerData = { modules: await compiledModules(backend) }
    p = pools.get(threads) // another caller may have made it meanwhile
    if (!p) {
      p = new PiscinaClass({ filename, workerData, minThreads: 0, maxThreads: threads, idleTimeout: IDLE_TIMEOUT_MS, concurrentTasksPerWorker: 1 })
      pools.set(threads, p)
    }
  }
  return p
}

/** Ends every worker of every pool (pending tasks are rejected). The pool is re-created if used again. */
export async function closePool(): Promise<void> {
  dropSpareCopy()
  const all = [...pools.values()]
  pools.clear()
  await Promise.all(all.map((p) => p.destroy()))
}

/** Threads of the pools alive now, for tests and diagnostics. */
export function poolThreads(): number[] {
  return [...pools.values()].map((p) => p.threads.length)
}

/** The worker threads of the pool of `threads` threads, for tests (ending one shows how a fit fails) and diagnostics. */
export function poolWorkers(threads: number): readonly { terminate(): Promise<number> }[] {
  return pools.get(threads)?.threads ?? []
}

function workerFailed(cause: unknown): EmkitError {
  if (cause instanceof EmkitError && cause.code === 'WORKER_FAILED') return cause
  const message = cause instanceof Error ? cause.message : String(cause)
  return new EmkitError('WORKER_FAILED', `An emkit worker thread failed: ${message}. The pool replaces the worker; retry, or use workers: 1 to run on this thread.`, { cause: message })
}

function shareMatrix(m: Matrix): Matrix {
  if (typeof SharedArrayBuffer === 'undefined') return m
  if (m.data.buffer instanceof SharedArrayBuffer) return m
  const data = new Float64Array(new SharedArrayBuffer(m.data.length * 8))
  data.set(m.data)
  return { rows: m.rows, cols: m.cols, data }
}

/**
 * Run tasks on the pool of `threads` threads; results in task order. Tasks go in
 * chunks (about four per thread), so that many small tasks (bootstrap replicates)
 * do not each pay a message round trip, while restarts (few, large) go one by one.
 */
export async function runOnPool(tasks: readonly Task[], threads: number, backend: BackendName = 'wasm'): Promise<TaskResult[]> {
  const modules = modulesFor(tasks)
  let p: Piscina
  try {
    p = await pool(threads, backend)
  } catch (e) {
    throw workerFailed(e)
  }
  const size = Math.max(1, Math.floor(tasks.length / (4 * threads)))
  const chunks: Task[][] = []
  for (let i = 0; i < tasks.length; i += size) chunks.push(tasks.slice(i, i + size))
  const settled = await Promise.allSettled(chunks.map((chunk) => p.run({ tasks: chunk, modules } satisfies WorkerMessage) as Promise<TaskResult[]>))
  const failure = settled.find((s) => s.status === 'rejected')
  if (failure) throw workerFailed((failure as PromiseRejectedResult).reason)
  return settled.flatMap((s) => (s as PromiseFulfilledResult<TaskResult[]>).value)
}

/** What a worker gets per chunk: the tasks, and the modules that register the user kinds they name (imported first). */
export interface WorkerMessage {
  readonly tasks: readonly Task[]
  readonly modules: readonly string[]
}

/** The modules registering the tasks' kinds (none for emkit's own); a kind registered on this thread only is refused. */
function modulesFor(tasks: readonly Task[]): string[] {
  const modules = new Set<string>()
  for (const kind of new Set(tasks.map((t) => t.spec.kind))) {
    const need = workerImports(kind)
    if ('error' in need) throw need.error
    for (const m of need.modules) modules.add(m)
  }
  return [...modules]
}

/** What a worker gets to hold one shard: the task, and the port the iterations come through. */
export interface ShardMessage {
  readonly shard: ShardTask
  readonly port: MessagePort
}

/** What a shard's worker answers per iteration: its statistics, or the EmkitError its E-step threw. */
export type ShardReply = { readonly stats: Uint8Array } | { readonly value: unknown } | { readonly thrown: WireError }

/**
 * A sharded fit's shards: one long task per shard on a pool of as many threads, each
 * holding its rows in its worker's kernel memory until `close`. Iterations go through
 * a MessagePort per shard (Piscina routes tasks to any free worker, a port reaches
 * the one that holds the rows). A worker that dies rejects its task: the iteration
 * waiting on it (and every later one) fails with WORKER_FAILED, and Piscina replaces
 * the worker, so the pool serves the next fit.
 */
export async function openShardsOnPool(tasks: readonly ShardTask[], backend: BackendName = 'wasm'): Promise<ShardGroup> {
  const modules = modulesFor(tasks.map((t) => ({ spec: t.spec }) as Task))
  const { MessageChannel } = await import('node:worker_threads')
  let p: Piscina
  try {
    p = await pool(tasks.length, backend)
  } catch (e) {
    throw workerFailed(e)
  }
  const channels = tasks.map(() => new MessageChannel())
  let failure: EmkitError | null = null
  const runs = tasks.map((shard, i) => {
    const port = channels[i]!.port2
    return (p.run({ shard, port, modules } satisfies ShardMessage & { modules: string[] }, { transferList: [port] as never }) as Promise<void>)
  })
  // any shard's task settling before close is a failure (a shard ends only when told)
  let closing = false
  const failed = new Promise<never>((_, reject) => {
    for (const run of runs) {
      run.then(
        () => { if (!closing) reject(failure ??= workerFailed(new Error('a shard ended before the fit'))) },
        (e: unknown) => reject(failure ??= workerFailed(e)),
      )
    }
  })
  failed.catch(() => { /* observed by eStep */ })
  // one message to every shard, their replies in shard order (a dead worker: the failure)
  const ask = async (message: unknown): Promise<ShardReply[]> => {
    if (failure) throw failure
    const replies = channels.map((c) => new Promise<ShardReply>((resolve) => c.port1.once('message', resolve)))
    for (const c of channels) c.port1.postMessage(message)
    const answers = await Promise.race([Promise.all(replies), failed])
    for (const a of answers) if ('thrown' in a) throw fromWireError(a.thrown)
    return answers
  }
  return {
    async eStep(params) {
      return (await ask({ params })).map((a) => (a as { stats: Uint8Array }).stats)
    },
    async call(op, args) {
      return (await ask({ call: { op, args } })).map((a) => (a as { value: unknown }).value)
    },
    async close() {
      closing = true
      for (const c of channels) c.port1.postMessage({ close: true })
      await Promise.allSettled(runs)
      for (const c of channels) c.port1.close()
    },
  }
}

/** What a worker gets to map kernel memory ahead of a shard (ParallelRunner.reserve), and its part of a shared copy's scan to make first (shareAhead). */
export interface ReserveMessage {
  readonly reserve: { readonly bytes: number; readonly backend: BackendName; readonly help?: CopyHelp }
  readonly modules: readonly string[]
}

/**
 * One reservation task per thread of the pool a sharded fit will open (Piscina gives
 * each to an idle worker: usually one each), each with its part of a shared copy to help
 * with first (shareAhead). Advice only: a failure is ignored, and the shard maps its
 * memory when it copies its rows, as without it. A running pool gets the tasks now,
 * before the calling thread goes on to its (synchronous) copy; a pool that must start
 * first gets them when it has (too late to help: the copying thread did it all).
 */
export async function reserveOnPool(threads: number, bytes: number, backend: BackendName, helps: readonly CopyHelp[] = []): Promise<void> {
  if (backend === 'js' && helps.length === 0) return
  try {
    const p = pools.get(threads) ?? await pool(threads, backend)
    await Promise.allSettled(Array.from({ length: threads }, (_, t) => {
      const help = helps[t]
      return p.run({ reserve: { bytes, backend, ...(help ? { help } : {}) }, modules: [] } satisfies ReserveMessage)
    }))
  } catch {
    // advice only: the shards map their memory as they copy their rows
  }
}

/**
 * share(m), its scan (scanOwned) and reserve(threads, bytes, backend) for the `threads`
 * workers of a sharded fit about to open, the workers scanning the rows behind the copy
 * (shared-copy.ts) before they reserve kernel memory.
 */
export function shareAhead(m: Matrix, threads: number, bytes: number, backend: BackendName): Matrix {
  if (typeof SharedArrayBuffer === 'undefined' || m.data.buffer instanceof SharedArrayBuffer) {
    void reserveOnPool(threads, bytes, backend)
    return shareMatrix(m)
  }
  return scannedSharedCopy(m, threads, (helps) => { void reserveOnPool(threads, bytes, backend, helps) })
}

export const piscinaRunner: ParallelRunner = {
  openShards: openShardsOnPool,
  reserve: (threads, bytes, backend) => { void reserveOnPool(threads, bytes, backend) },
  shareAhead,
  get available() {
    return Math.max(1, cores())
  },
  share: shareMatrix,
  run: runOnPool,
  isWarm: (threads) => (pools.get(threads)?.threads.length ?? 0) > 0,
  refuses: (kind) => {
    const need = workerImports(kind)
    return 'error' in need ? need.error : null
  },
}

/** Make the Piscina pool the runner of every estimator (done by the Node entry). */
export function installPool(): void {
  setParallelRunner(piscinaRunner)
}

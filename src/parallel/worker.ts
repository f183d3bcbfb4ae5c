/**
 * The worker-thread entry of the Piscina pool (Node only; compiled to
 * dist/src/parallel/worker.js, which pool.ts points Piscina at). At start it hands the
 * main thread's compiled modules (workerData) to the kernel loader, so nothing is
 * compiled here; then it runs each chunk of tasks with runTask, exactly the code the
 * serial path runs.
 */
import { workerData } from 'node:worker_threads'
import { isEmkitError } from '../core/errors.js'
import type { ShardMessage, ShardReply } from './pool.js'
import { helpCopy } from './shared-copy.js'
import { openShardTask } from '../registry/registry.js'
import { toWireError } from '../runtime/tasks.js'
import { loadKernels, provideWasmModule, provideWasmSource, reserveKernelMemory } from '../kernels/index.js'
import { inlineWasm } from '../kernels/wasm/inline.js'
import '../registry/kinds/index.js'
import type { PoolWorkerData, ReserveMessage, WorkerMessage } from './pool.js'
import { runTask } from '../registry/registry.js'
import type { TaskResult } from '../runtime/tasks.js'

provideWasmSource(inlineWasm) // a build the main thread did not send, and the synchronous loaders
for (const { name, module } of (workerData as PoolWorkerData | undefined)?.modules ?? []) provideWasmModule(module, name)

/** Modules of user kinds imported so far (each registers its kind when first imported). */
const imported = new Set<string>()

export default async function run(message: WorkerMessage | ReserveMessage | (ShardMessage & { modules: string[] })): Promise<TaskResult[] | void> {
  for (const m of message.modules) {
    if (imported.has(m)) continue
    await import(m)
    imported.add(m)
  }
  if ('reserve' in message) {
    // the calling thread waits on the scan (helpCopy), the shard on its kernel memory only later
    if (message.reserve.help) helpCopy(message.reserve.help)
    return reserveKernelMemory(await loadKernels(message.reserve.backend), message.reserve.bytes)
  }
  if ('shard' in message) return holdShard(message)
  const { tasks } = message
  const results: TaskResult[] = []
  for (const task of tasks) {
    // a deliberately dying worker, for the failure tests
    if (task.debug === 'exit') process.exit(70)
    results.push(await runTask(task))
  }
  return results
}

/**
 * Hold one shard of a sharded fit until told to close: each message on the port is an
 * iteration's parameters, answered with the shard's statistics (transferred, not copied).
 */
async function holdShard({ shard, port }: ShardMessage): Promise<void> {
  const session = await openShardTask(shard)
  return new Promise<void>((resolve, reject) => {
    port.on('message', (msg: { params?: unknown; call?: { op: string; args: unknown }; close?: boolean }) => {
      if (msg.close) {
        session.close()
        port.close()
        resolve()
        return
      }
      // a worker dying while it holds its shard, at a known point, for the failure tests (once per message, not per row)
      if (shard.debug === 'exit') process.exit(70)
      let reply: ShardReply
      try {
        reply = msg.call ? { value: session.call(msg.call.op, msg.call.args) } : { stats: session.eStep(msg.params) }
      } catch (e) {
        if (!isEmkitError(e)) {
          session.close()
          port.close()
          reject(e)
          return
        }
        reply = { thrown: toWireError(e) }
      }
      port.postMessage(reply, 'stats' in reply ? [reply.stats.buffer as ArrayBuffer] : [])
    })
  })
}

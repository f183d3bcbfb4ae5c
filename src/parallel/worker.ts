/**
 * The worker-thread entry of the Piscina pool (Node only; compiled to
 * dist/src/parallel/worker.js, which pool.ts points Piscina at). At start it hands the
 * main thread's compiled modules (workerData) to the kernel loader, so nothing is
 * compiled here; then it runs each chunk of tasks with runTask, exactly the code the
 * serial path runs.
 */
import { workerData } from 'node:worker_threads'
import { provideWasmModule } from '../kernels/index.js'
import '../registry/kinds/index.js'
import type { PoolWorkerData, WorkerMessage } from './pool.js'
import { runTask } from '../registry/registry.js'
import type { TaskResult } from '../runtime/tasks.js'

for (const { name, module } of (workerData as PoolWorkerData | undefined)?.modules ?? []) provideWasmModule(module, name)

/** Modules of user kinds imported so far (each registers its kind when first imported). */
const imported = new Set<string>()

export default async function run({ tasks, modules }: WorkerMessage): Promise<TaskResult[]> {
  for (const m of modules) {
    if (imported.has(m)) continue
    await import(m)
    imported.add(m)
  }
  const results: TaskResult[] = []
  for (const task of tasks) {
    // a deliberately dying worker, for the failure tests
    if (task.debug === 'exit') process.exit(70)
    results.push(await runTask(task))
  }
  return results
}

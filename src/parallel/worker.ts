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
import type { PoolWorkerData } from './pool.js'
import { runTask } from '../registry/registry.js'
import type { Task, TaskResult } from '../runtime/tasks.js'

for (const { name, module } of (workerData as PoolWorkerData | undefined)?.modules ?? []) provideWasmModule(module, name)

export default async function run(chunk: readonly Task[]): Promise<TaskResult[]> {
  const results: TaskResult[] = []
  for (const task of chunk) {
    // a deliberately dying worker, for the failure tests
    if (task.debug === 'exit') process.exit(70)
    results.push(await runTask(task))
  }
  return results
}

/**
 * The one run block of the inference calls (bootstrap, bootstrapLRT, selectModel's
 * cells): the tasks on the pool, with the dataset in shared memory, when the caller's
 * `threadsFor` chose more than one thread, else one by one on this thread through the
 * registry's `runTask`. Results come back in task order either way, so the numbers do
 * not depend on where the tasks ran.
 */
import { runTask } from '../registry/registry.js'
import { type Dataset, shareDataset } from '../runtime/dataset.js'
import { parallelRunner } from '../runtime/runner.js'
import type { Task, TaskResult } from '../runtime/tasks.js'

/** `build` makes the tasks around the data they should carry (shared when they go to workers). */
export async function runTasks(dataset: Dataset, threads: number, build: (data: Dataset) => Task[]): Promise<TaskResult[]> {
  const runner = threads > 1 ? parallelRunner() : null
  const tasks = build(runner ? shareDataset(dataset, (m) => runner.share(m)) : dataset)
  if (runner) {
    const backend = (tasks[0]?.spec.options['backend'] as 'wasm' | 'wasm-scalar' | 'js' | undefined) ?? 'wasm'
    return runner.run(tasks, threads, backend)
  }
  const results: TaskResult[] = []
  for (const task of tasks) results.push(await runTask(task))
  return results
}

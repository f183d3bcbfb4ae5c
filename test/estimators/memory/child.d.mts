/** What rss-loop.mjs prints: RSS readings (bytes) after the warm-up and at the end, wasm bytes in use at both and before the first round, the measured rounds' wall time. */
export interface LoopResult { name: string; before: number[]; after: number[]; fits: number; kernelStart: number; kernelBefore: number; kernelAfter: number; seconds: number }
export const CHILD_FLAGS: string[]
export function runLoop(options: { warmUp: number; fits: number; name?: string; lock?: string }): Promise<LoopResult>
export function median(v: number[]): number

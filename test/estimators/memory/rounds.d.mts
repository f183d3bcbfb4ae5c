/** One fit-and-use round per estimator name, at a seed, on a wasm build. */
export type Round = (seed: number, backend: 'wasm' | 'wasm-scalar') => Promise<unknown>
export function makeRounds(lib: Record<string, any>): Record<string, Round>

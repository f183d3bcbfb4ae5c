/**
 * emkit for Node (the package's `node` export condition): everything in index.ts, with
 * the Piscina pool installed, so `nInit` restarts and bootstrap replicates run on
 * worker threads (option `workers`). Call `closePool()` to end the workers at once;
 * otherwise idle workers are unref'd and leave by themselves.
 */
import { provideWasmSource } from './kernels/index.js'
import { inlineWasm } from './kernels/wasm/inline.js'
import { installPool } from './parallel/pool.js'
import { provideShardSharing } from './estimators/base.js'
import { sharedDataset, sharedInput } from './estimators/shard.js'

// the inlined builds: no file read and no await before the first fit (cold start)
provideWasmSource(inlineWasm)
installPool()
// sharded fits' copy into shared memory, imported statically so that fit(X, { workers }) copies X before its first await
// (a caller's change after fit() returns must not reach it): a lazy import could still be loading at the first fit
provideShardSharing({ sharedInput, sharedDataset })

export * from './index.js'
export { closePool } from './parallel/pool.js'

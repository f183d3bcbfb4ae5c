/**
 * emkit for edge runtimes (export conditions `workerd`, `edge-light`, `worker`): the
 * `.wasm` builds are imported as modules, because workerd (and production edge
 * platforms) refuse to compile WebAssembly from bytes at run time. The modules are
 * handed to the kernel loader, which then instantiates them and never compiles the
 * inlined bytes. Same API as index.ts; restarts run serially.
 */
import simdModule from '../build/emkit.simd.wasm'
import scalarModule from '../build/emkit.scalar.wasm'
import { provideWasmModule } from './kernels/index.js'

provideWasmModule(simdModule, 'wasm')
provideWasmModule(scalarModule, 'wasm-scalar')

export * from './index.js'

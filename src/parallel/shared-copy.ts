/**
 * A sharded fit's rows copied into shared memory by the calling thread while the
 * workers that will hold them scan them (Node only; pool.ts asks the workers, worker.ts
 * runs helpCopy). The copy is the synchronous part the calling thread cannot hand off
 * (a caller may change its array once the fit awaits anything, and workers cannot read
 * the caller's memory); the scan that settles the fit's checks (core/validate.ts's
 * scanOwned, ~0.2 s at 10^7 x 8 rows) is split in parts, each scanned by a worker right
 * behind the copy, so this thread waits only for the last rows' scan.
 *
 * Page faults taken by other threads during the copy slow it down on this VM: so the
 * workers do not map the copy's fresh pages for it (tried, each worker from the far end
 * of its part down, one atomic add of 0 per page, meeting the copy: the copy of 640 MB
 * took 0.6-1.0 s against 0.3-0.6 s alone), and a worker done with its part waits for
 * the copy's end before it reserves (maps) its kernel memory. A copy reuses the memory of
 * the last copy of the same size whose array was collected (sharedMemory).
 */
import type { Matrix } from '../core/matrix.js'
import { markOwned, recordScans, type RowsScan, scanRows } from '../core/validate.js'

/**
 * The memory of the last shared copy whose array the garbage collector took (the fit
 * that held it as its training data is gone), kept for the next copy of the same size:
 * a repeated sharded fit then copies into memory already mapped. Copying 10^7 x 8 rows
 * into fresh memory took 0.3 s or 1.4-2.1 s here, depending on where the VM found the
 * pages, and ~40 ms into mapped memory. Only the collection of the copy's buffer object
 * frees it for reuse: every view of it on this thread (the fit's training data, a shard's
 * rows) holds that object, and the workers' views are unreachable once the fit's shards
 * closed (before its fit returned). The registry keeps a second handle on the same memory
 * (structuredClone of a SharedArrayBuffer shares it), which is what the next copy gets.
 * Dropped after SPARE_MS, or by closePool.
 */
interface KeptCopy {
  readonly memory: SharedArrayBuffer
  readonly made: number
}
let spare: KeptCopy | null = null
let spareTimer: ReturnType<typeof setTimeout> | null = null
const SPARE_MS = 10_000
/** Copies made so far: of several collected together, the newest is kept (the next fit is most likely of its size). */
let copiesMade = 0
/** Copies made up to closePool's last call are not kept when collected afterwards. */
let keptAfter = 0
const collected = new FinalizationRegistry<KeptCopy>((copy) => {
  if (copy.made <= keptAfter || (spare !== null && spare.made > copy.made)) return
  spare = copy
  forgetLater()
})

/** Forget the kept memory after SPARE_MS (a timer that keeps no process alive), unless a copy takes it first. */
function forgetLater(): void {
  if (spareTimer) clearTimeout(spareTimer)
  spareTimer = setTimeout(() => { spare = null; spareTimer = null }, SPARE_MS)
  spareTimer.unref?.()
}

/** Forget the kept memory, and that of every copy made so far when it is collected (closePool: the pool's resources are being released). */
export function dropSpareCopy(): void {
  spare = null
  keptAfter = copiesMade
}

/** `bytes` of shared memory: the kept copy's if it has that size, else fresh; watched, so that it is kept in turn once collected. */
function sharedMemory(bytes: number): SharedArrayBuffer {
  const kept = spare?.memory
  spare = null
  const memory = kept !== undefined && kept.byteLength === bytes ? kept : new SharedArrayBuffer(bytes)
  collected.register(memory, { memory: structuredClone(memory), made: ++copiesMade })
  return memory
}

/** Elements the copying thread copies per step (it publishes its progress after each). */
const COPY_STEP = 2 ** 17
/** CopyHelp.sync: [COPIED] steps copied so far, [STATE + part] that part's scan. */
const COPIED = 0, STATE = 1
/** A part's scan: not begun, a helper's, the copying thread's own, done (the helper's result in `out`). */
const FREE = 0, HELPER = 1, OWN = 2, DONE = 3

/** One helper's part of the scan of a shared copy that the calling thread makes in ascending order (shareAhead). */
export interface CopyHelp {
  readonly buffer: SharedArrayBuffer
  readonly sync: Int32Array
  readonly part: number
  readonly cols: number
  /** The part's entries, whole rows of `cols` values: from, to. */
  readonly entries: readonly [number, number]
  /** Per part: the squares, least and largest values of each column (3 x cols). */
  readonly out: Float64Array
}

/**
 * A worker's part of the scan of a shared copy the calling thread is making (shareAhead):
 * unless the calling thread has taken it, scan the part's rows as scanOwned would
 * (core/validate.ts), right behind the copy, and leave the result in `out`; return
 * when the copy has ended. What worker.ts runs before it reserves kernel memory.
 */
export function helpCopy({ buffer, sync, part, cols, entries, out }: CopyHelp): void {
  if (Atomics.compareExchange(sync, STATE + part, FREE, HELPER) !== FREE) return
  const data = new Float64Array(buffer)
  const chunk = Math.ceil(COPY_STEP / cols) * cols
  let scan: RowsScan | undefined
  for (let from = entries[0]; from < entries[1]; from += chunk) {
    const to = Math.min(entries[1], from + chunk)
    // the copy publishes every step, and its end even when it throws; the timeout only bounds one wait
    for (let copied = Atomics.load(sync, COPIED); copied * COPY_STEP < to; copied = Atomics.load(sync, COPIED)) Atomics.wait(sync, COPIED, copied, 100)
    scan = scanRows(data, cols, from, to, scan)
  }
  scan ??= scanRows(data, cols, 0, 0) // no rows: the empty sums
  out.set(scan.squares, part * 3 * cols)
  out.set(scan.lo, (part * 3 + 1) * cols)
  out.set(scan.hi, (part * 3 + 2) * cols)
  Atomics.store(sync, STATE + part, DONE)
  Atomics.notify(sync, STATE + part)
  // the worker reserves its kernel memory next: page faults taken during the copy slowed it down (the first part's
  // worker, done at the copy's middle, made it 0.35-0.46 s against 0.30-0.34 s alone at 10^7 x 8), so wait for its end
  const steps = Math.ceil(data.length / COPY_STEP)
  for (let copied = Atomics.load(sync, COPIED); copied < steps; copied = Atomics.load(sync, COPIED)) Atomics.wait(sync, COPIED, copied, 100)
}

/**
 * m's values in a SharedArrayBuffer (fresh, or a collected copy's: sharedMemory), marked as emkit's own and scanned (recorded as
 * recordScans says), `threads` parts of the scan offered to helpers through `ask` before
 * the copy begins. A part whose helper has not begun when the copy ends (a pool still
 * starting, a busy worker) is scanned here, as is one whose helper takes too long
 * (twice the copy's time and at least 1 s: a worker that died).
 */
export function scannedSharedCopy(m: Matrix, threads: number, ask: (helps: CopyHelp[]) => void): Matrix {
  const n = m.data.length, cols = m.cols
  const data = new Float64Array(sharedMemory(n * 8))
  if (!(Number.isSafeInteger(cols) && cols >= 1 && n % cols === 0)) {
    // not whole rows: validation reports it; copied as share(m) would
    ask([])
    data.set(m.data)
    return { rows: m.rows, cols, data }
  }
  const t0 = performance.now()
  const sync = new Int32Array(new SharedArrayBuffer(4 * (STATE + threads)))
  const out = new Float64Array(new SharedArrayBuffer(8 * 3 * cols * threads))
  const rows = n / cols
  const helps = Array.from({ length: threads }, (_, t): CopyHelp => ({
    buffer: data.buffer as SharedArrayBuffer, sync, part: t, cols, out,
    entries: [Math.floor((rows * t) / threads) * cols, Math.floor((rows * (t + 1)) / threads) * cols],
  }))
  ask(helps)
  try {
    for (let p = 0, step = 1; p < n; p += COPY_STEP, step++) {
      data.set(m.data.subarray(p, Math.min(n, p + COPY_STEP)), p)
      Atomics.store(sync, COPIED, step)
      Atomics.notify(sync, COPIED)
    }
  } finally {
    // a copy that threw (m.data may be a getter) still ends for the helpers waiting on it; their scans are not read
    Atomics.store(sync, COPIED, Math.ceil(n / COPY_STEP))
    Atomics.notify(sync, COPIED)
  }
  const deadline = performance.now() + Math.max(1000, 2 * (performance.now() - t0))
  const parts = helps.map(({ part, entries }): RowsScan => {
    if (Atomics.compareExchange(sync, STATE + part, FREE, OWN) !== FREE) {
      for (let left = deadline - performance.now(); Atomics.load(sync, STATE + part) !== DONE && left > 0; left = deadline - performance.now()) Atomics.wait(sync, STATE + part, HELPER, left)
      if (Atomics.load(sync, STATE + part) === DONE) {
        const at = (k: number): Float64Array => out.slice((part * 3 + k) * cols, (part * 3 + k + 1) * cols)
        return { squares: at(0), lo: at(1), hi: at(2) }
      }
    }
    return scanRows(data, cols, entries[0], entries[1])
  })
  return recordScans(markOwned({ rows: m.rows, cols, data }), parts)
}

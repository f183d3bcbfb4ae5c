import type { Arena, F64Buffer, I32Buffer } from '../types.js'
import { checkSubarray } from '../buffers.js'

/** Plain typed arrays: the garbage collector frees them, so dispose only drops references. */
export function jsArena(): Arena {
  return {
    f64: (length) => f64Buffer(new Float64Array(length)),
    i32: (length) => i32Buffer(new Int32Array(length)),
    f64From: (values) => f64Buffer(Float64Array.from(values)),
    dispose: () => {},
  }
}

function f64Buffer(view: Float64Array): F64Buffer {
  return {
    ptr: 0, length: view.length, view,
    subarray(begin, end) {
      checkSubarray(begin, end, view.length)
      return f64Buffer(view.subarray(begin, end))
    },
  }
}

function i32Buffer(view: Int32Array): I32Buffer {
  return {
    ptr: 0, length: view.length, view,
    subarray(begin, end) {
      checkSubarray(begin, end, view.length)
      return i32Buffer(view.subarray(begin, end))
    },
  }
}

/**
 * Batched small dense linear algebra over `count` d x d row-major matrices stored
 * back to back. Scalar on purpose: d is small and these run once per iteration,
 * not per row. The operations and their order are those of src/kernels/js/linalg.ts.
 */

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3)
}

/**
 * Lower Cholesky factors (A = L L^T) into `out`, upper triangles zeroed. Returns the
 * index of the first matrix that is not numerically positive definite, or -1.
 */
export function cholesky(a: usize, count: i32, d: i32, out: usize): i32 {
  const dd = d * d
  for (let m = 0; m < count; m++) {
    const A = at(a, m * dd)
    const L = at(out, m * dd)
    for (let j = 0; j < d; j++) {
      const jr = j * d
      let s = load<f64>(at(A, jr + j))
      for (let l = 0; l < j; l++) {
        const v = load<f64>(at(L, jr + l))
        s -= v * v
      }
      if (!(s > 0)) return m
      const diag = Math.sqrt(s)
      store<f64>(at(L, jr + j), diag)
      for (let i = j + 1; i < d; i++) {
        const ir = i * d
        let t = load<f64>(at(A, ir + j))
        for (let l = 0; l < j; l++) t -= load<f64>(at(L, ir + l)) * load<f64>(at(L, jr + l))
        store<f64>(at(L, ir + j), t / diag)
      }
      for (let l = j + 1; l < d; l++) store<f64>(at(L, jr + l), 0.0)
    }
  }
  return -1
}

/** Inverses of `count` lower-triangular matrices (upper triangles of `out` zeroed). */
export function invertLower(l: usize, count: i32, d: i32, out: usize): void {
  const dd = d * d
  for (let m = 0; m < count; m++) {
    const L = at(l, m * dd)
    const X = at(out, m * dd)
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < j; i++) store<f64>(at(X, i * d + j), 0.0)
      store<f64>(at(X, j * d + j), 1.0 / load<f64>(at(L, j * d + j)))
      for (let i = j + 1; i < d; i++) {
        let s = 0.0
        for (let q = j; q < i; q++) s += load<f64>(at(L, i * d + q)) * load<f64>(at(X, q * d + j))
        store<f64>(at(X, i * d + j), -s / load<f64>(at(L, i * d + i)))
      }
    }
  }
}

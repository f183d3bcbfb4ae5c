/**
 * exp as the wasm kernels compute it (assembly/math.ts), so that every backend
 * gives the same responsibilities: range reduction by ln 2, a degree-13 Taylor
 * polynomial on |r| <= ln2/2, and the power of two put straight into the exponent
 * bits. Arguments below EXP_FLUSH give 0: the probabilities involved are far below
 * anything that can change a sum, and subnormals slow every later operation.
 */

export const EXP_FLUSH = -460
const LOG2E = 1.4426950408889634
const LN2_HI = 6.93147180369123816490e-1
const LN2_LO = 1.90821492927058770002e-10
const bits = new Float64Array(1)
const words = new Int32Array(bits.buffer)

export function expFlush(x: number): number {
  if (x < EXP_FLUSH) return 0
  if (x > 709) return Infinity
  const n = Math.floor(x * LOG2E + 0.5)
  const r = x - n * LN2_HI - n * LN2_LO
  let p = 1 / 6227020800
  p = p * r + 1 / 479001600
  p = p * r + 1 / 39916800
  p = p * r + 1 / 3628800
  p = p * r + 1 / 362880
  p = p * r + 1 / 40320
  p = p * r + 1 / 5040
  p = p * r + 1 / 720
  p = p * r + 1 / 120
  p = p * r + 1 / 24
  p = p * r + 1 / 6
  p = p * r + 0.5
  p = p * r + 1
  p = p * r + 1
  // Little-endian: words[1] holds sign, exponent and the top of the mantissa.
  words[0] = 0
  words[1] = (n + 1023) << 20
  return p * bits[0]!
}

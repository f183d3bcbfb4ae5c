/**
 * Gauss-Hermite rule: nodes x_k and weights w_k with sum_k w_k f(x_k) ~ int e^{-x^2} f(x) dx,
 * exact for polynomials of degree < 2n. Newton on the orthonormal Hermite recurrence from
 * the asymptotic first guesses (Numerical Recipes' gauher), to full double precision for
 * the n <= 100 that quadrature of a random effect needs. Rules are cached by n.
 */
export interface QuadratureRule {
  readonly nodes: Float64Array
  readonly weights: Float64Array
}

const cache = new Map<number, QuadratureRule>()
const PIM4 = 0.7511255444649425 // pi^(-1/4)

export function gaussHermite(n: number): QuadratureRule {
  const hit = cache.get(n)
  if (hit) return hit
  const nodes = new Float64Array(n), weights = new Float64Array(n)
  const m = Math.floor((n + 1) / 2)
  let z = 0
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667)
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z
    else if (i === 2) z = 1.86 * z - 0.86 * nodes[0]!
    else if (i === 3) z = 1.91 * z - 0.91 * nodes[1]!
    else z = 2 * z - nodes[i - 2]!
    let pp = 0
    for (let iter = 0; iter < 100; iter++) {
      // p1 = orthonormal Hermite polynomial of degree n at z, p2 of degree n - 1
      let p1 = PIM4, p2 = 0
      for (let j = 0; j < n; j++) {
        const p3 = p2
        p2 = p1
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3
      }
      pp = Math.sqrt(2 * n) * p2
      const z1 = z
      z = z1 - p1 / pp
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break
    }
    // descending nodes from NR; store ascending so the rule reads left to right
    nodes[i] = z
    weights[i] = 2 / (pp * pp)
  }
  const rule = { nodes: new Float64Array(n), weights: new Float64Array(n) }
  for (let i = 0; i < m; i++) {
    rule.nodes[i] = -nodes[i]!
    rule.nodes[n - 1 - i] = nodes[i]!
    rule.weights[i] = weights[i]!
    rule.weights[n - 1 - i] = weights[i]!
  }
  cache.set(n, rule)
  return rule
}

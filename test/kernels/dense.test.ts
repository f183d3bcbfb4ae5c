/**
 * The dense-layer kernels (assembly/dense.ts) on the SIMD and scalar wasm builds against
 * the JS twin, bit for bit, at sizes that are not multiples of the SIMD width or of the
 * 2 x 4 register tile (odd rows, odd inputs and outputs, 1), over several calls; and the
 * JS twin against plain definitions (products, finite differences of the loss).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { BACKENDS, copyOf, expectIdentical, loadAll, normals, seeded, uniforms } from './backends.js'

let K: Record<BackendName, Kernels>
beforeAll(async () => {
  K = await loadAll()
})

const SHAPES: readonly [number, number, number][] = [[1, 1, 1], [9, 130, 11], [3, 64, 5], [4, 65, 2], [7, 5, 3], [9, 13, 11], [33, 17, 6], [2, 4, 4], [64, 30, 9], [5, 1, 7]]

interface Inputs { x: Float64Array; w: Float64Array; b: Float64Array; dy: Float64Array; n: number; din: number; dout: number }

function inputs(n: number, din: number, dout: number, seed: number): Inputs {
  const rng = seeded(seed, `dense n=${n} din=${din} dout=${dout}`)
  return { n, din, dout, x: normals(rng, n * din), w: normals(rng, din * dout, 0.5), b: normals(rng, dout, 0.3), dy: normals(rng, n * dout) }
}

function run(kernels: Kernels, t: Inputs, relu: boolean, bias: boolean) {
  const a = kernels.arena()
  try {
    const x = a.f64From(t.x), w = a.f64From(t.w), b = a.f64From(t.b), y = a.f64(t.n * t.dout)
    kernels.denseForward(x, t.n, t.din, w, t.dout, bias ? b : null, relu, y)
    const dy = a.f64From(t.dy), dw = a.f64(t.din * t.dout), db = a.f64(t.dout), dx = a.f64(t.n * t.din)
    kernels.denseBackward(x, t.n, t.din, w, t.dout, y, dy, relu, dw, db, dx)
    // a second call on the same buffers (no state kept between calls)
    kernels.denseBackward(x, t.n, t.din, w, t.dout, y, dy, relu, dw, db, dx)
    return { y: copyOf(y), dw: copyOf(dw), db: copyOf(db), dx: copyOf(dx) }
  } finally {
    a.dispose()
  }
}

describe('dense kernels: wasm builds against the JS twin', () => {
  for (const [n, din, dout] of SHAPES) {
    for (const relu of [false, true]) {
      it(`forward and backward n=${n} din=${din} dout=${dout} relu=${relu}`, () => {
        const t = inputs(n, din, dout, 17 + n * 31 + din + dout)
        const js = run(K.js, t, relu, !relu)
        for (const backend of BACKENDS) {
          const got = run(K[backend], t, relu, !relu)
          for (const key of ['y', 'dw', 'db', 'dx'] as const) expectIdentical(got[key], js[key], `${backend} ${key}`)
        }
      })
    }
  }

  it('the loss, its gradient and the latent draw agree bit for bit (odd sizes)', () => {
    const rng = seeded(5, 'dense loss')
    for (const [n, d] of [[7, 3], [1, 1], [10, 5]] as const) {
      const out = normals(rng, n * d, 3), xg = normals(rng, n * d), xb = uniforms(rng, n * d).map((u) => (u < 0.4 ? 1 : 0))
      const h = normals(rng, 2 * n * d), eps = normals(rng, n * d), dz = normals(rng, n * d)
      const results = BACKENDS.map((backend) => {
        const k = K[backend], a = k.arena()
        try {
          const O = a.f64From(out), G = a.f64(n * d), H = a.f64From(h), E = a.f64From(eps), Z = a.f64(n * d), DZ = a.f64From(dz), DH = a.f64(2 * n * d)
          const lg = k.denseLoss(0, O, a.f64From(xg), n, d, 0.3, G)
          const gg = copyOf(G)
          const lb = k.denseLoss(1, O, a.f64From(xb), n, d, 0, G)
          const kl = k.latentSample(H, n, d, E, Z)
          k.latentBackward(H, n, d, E, DZ, DH)
          return { loss: Float64Array.of(lg, lb, kl), gg, gb: copyOf(G), z: copyOf(Z), dh: copyOf(DH) }
        } finally {
          a.dispose()
        }
      })
      for (let r = 0; r < 2; r++) for (const key of ['loss', 'gg', 'gb', 'z', 'dh'] as const) expectIdentical(results[r]![key], results[2]![key], `${BACKENDS[r]} ${key}`)
    }
  })
})

describe('dense kernels: the JS twin against the definitions', () => {
  it('y = x W + b, dW = x^T dy, db, dx = dy W^T', () => {
    const t = inputs(6, 5, 3, 99)
    const r = run(K.js, t, false, true)
    for (let i = 0; i < t.n; i++) {
      for (let o = 0; o < t.dout; o++) {
        let s = t.b[o]!
        for (let j = 0; j < t.din; j++) s += t.x[i * t.din + j]! * t.w[j * t.dout + o]!
        expect(r.y[i * t.dout + o]).toBeCloseTo(s, 12)
      }
      for (let j = 0; j < t.din; j++) {
        let s = 0
        for (let o = 0; o < t.dout; o++) s += t.dy[i * t.dout + o]! * t.w[j * t.dout + o]!
        expect(r.dx[i * t.din + j]).toBeCloseTo(s, 12)
      }
    }
    for (let j = 0; j < t.din; j++) for (let o = 0; o < t.dout; o++) {
      let s = 0
      for (let i = 0; i < t.n; i++) s += t.x[i * t.din + j]! * t.dy[i * t.dout + o]!
      expect(r.dw[j * t.dout + o]).toBeCloseTo(s, 12)
    }
  })

  it('the gradients of the loss and of the latent draw are those of finite differences', () => {
    const k = K.js, a = k.arena()
    const n = 3, d = 2
    const rng = seeded(8, 'dense finite differences')
    const out = normals(rng, n * d), x = uniforms(rng, n * d).map((u) => (u < 0.5 ? 1 : 0)), xg = normals(rng, n * d)
    const h = normals(rng, 2 * n * d, 0.5), eps = normals(rng, n * d), dz = normals(rng, n * d)
    const loss = (kind: number, o: Float64Array, xs: Float64Array) => k.denseLoss(kind, a.f64From(o), a.f64From(xs), n, d, 0.2, null)
    for (const [kind, xs] of [[0, xg], [1, x]] as const) {
      const G = a.f64(n * d)
      k.denseLoss(kind, a.f64From(out), a.f64From(xs), n, d, 0.2, G)
      for (let e = 0; e < n * d; e++) {
        const up = Float64Array.from(out), dn = Float64Array.from(out)
        up[e]! += 1e-6; dn[e]! -= 1e-6
        expect(G.view[e]).toBeCloseTo((loss(kind, up, xs) - loss(kind, dn, xs)) / 2e-6, 6)
      }
    }
    // L(h) = dz . z(h) + KL(h): its gradient is latentBackward's
    const L = (hh: Float64Array) => {
      const Z = a.f64(n * d)
      const kl = k.latentSample(a.f64From(hh), n, d, a.f64From(eps), Z)
      let s = kl
      for (let e = 0; e < n * d; e++) s += dz[e]! * Z.view[e]!
      return s
    }
    const DH = a.f64(2 * n * d)
    k.latentBackward(a.f64From(h), n, d, a.f64From(eps), a.f64From(dz), DH)
    for (let e = 0; e < 2 * n * d; e++) {
      const up = Float64Array.from(h), dn = Float64Array.from(h)
      up[e]! += 1e-6; dn[e]! -= 1e-6
      expect(DH.view[e]).toBeCloseTo((L(up) - L(dn)) / 2e-6, 6)
    }
    a.dispose()
  })
})

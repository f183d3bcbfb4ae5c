/**
 * The t mixture's standard-error coordinates: [first K - 1 weights | means (K x d) |
 * each scatter's upper triangle, row by row | nu (K, when estimated)]; names weight[c],
 * mean[c][j], scatter[c][i][j] (i <= j), nu[c]. The packed vector holds every weight
 * and both triangles: its information would be singular by construction.
 */
import type { Parameterisation } from '../../engine/types.js'
import { freeWeights, simplexFromFree, weightNames } from '../common/free-coordinates.js'

interface Params { readonly weights: Float64Array; readonly means: Float64Array; readonly scatters: Float64Array; readonly nu: Float64Array }
interface TMixture<P extends Params> {
  readonly k: number
  readonly d: number
  readonly fixedNu?: number | undefined
  unpack(vec: Float64Array, like: P): P
}

export function tMixtureParameterisation<P extends Params>(model: TMixture<P>): Parameterisation<P> {
  const { k, d } = model
  const nuFree = model.fixedNu === undefined
  const tri: [number, number][] = []
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) tri.push([i, j])
  const nw = k - 1, nm = k * d, ns = k * tri.length
  return {
    names: () => [
      ...weightNames(k),
      ...Array.from({ length: nm }, (_, e) => `mean[${Math.floor(e / d)}][${e % d}]`),
      ...Array.from({ length: ns }, (_, e) => { const [i, j] = tri[e % tri.length]!; return `scatter[${Math.floor(e / tri.length)}][${i}][${j}]` }),
      ...(nuFree ? Array.from({ length: k }, (_, c) => `nu[${c}]`) : []),
    ],
    toFree(p) {
      const out = new Float64Array(nw + nm + ns + (nuFree ? k : 0))
      out.set(freeWeights(p.weights), 0)
      out.set(p.means, nw)
      for (let c = 0; c < k; c++) tri.forEach(([i, j], e) => { out[nw + nm + c * tri.length + e] = p.scatters[c * d * d + i * d + j]! })
      if (nuFree) out.set(p.nu, nw + nm + ns)
      return out
    },
    fromFree(v, like) {
      const packed = new Float64Array(k + nm + k * d * d + (nuFree ? k : 0))
      packed.set(simplexFromFree(v.subarray(0, nw), k), 0)
      packed.set(v.subarray(nw, nw + nm), k)
      for (let c = 0; c < k; c++) tri.forEach(([i, j], e) => {
        const val = v[nw + nm + c * tri.length + e]!
        packed[k + nm + c * d * d + i * d + j] = val
        packed[k + nm + c * d * d + j * d + i] = val
      })
      if (nuFree) packed.set(v.subarray(nw + nm + ns), k + nm + k * d * d)
      return model.unpack(packed, like)
    },
  }
}

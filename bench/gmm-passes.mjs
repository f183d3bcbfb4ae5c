// Per-pass times of one full-covariance EM iteration's kernels (densities,
// responsibilities, statistics) on raw wasm builds, so that two builds (say the
// committed one saved aside and a new one) alternate in ONE process on the same
// inputs: `node bench/gmm-passes.mjs [n d k] [CALLS] [a.wasm b.wasm ...]`
// (defaults: 100000 8 8, 61 calls, build/emkit.simd.wasm), at the parameters of
// peer-gmm's timed iterations. Prints the best (the
// minimum: the machine is shared) and the median of CALLS calls per pass, in ms.
// "resp" is densities + responsibilities minus densities (the kernel works in place);
// "the three in a row" times them as one E-step and statistics pass.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { GaussianMixture } from '../dist/emkit.node.js'
import { mixtureData } from './lib.mjs'

const args = process.argv.slice(2)
const nums = args.filter((a) => /^\d+$/.test(a)).map(Number)
const [n, d, k] = nums.length >= 3 ? nums : [100000, 8, 8]
const CALLS = nums[3] ?? 61
const files = args.filter((a) => a.endsWith('.wasm'))
if (files.length === 0) files.push(fileURLToPath(new URL('../build/emkit.simd.wasm', import.meta.url)))

const X = mixtureData(n, d, k)
// the state of peer-gmm's timed iterations: its start (k-means++, seed 1), then ITERS iterations (default 5)
const begin = await new GaussianMixture({ nComponents: k, covarianceType: 'full', maxIter: 0, seed: 1 }).fit(X)
const init = { weights: begin.weights, means: begin.means, covariances: begin.covariances }
const start = await new GaussianMixture({ nComponents: k, covarianceType: 'full', init, maxIter: Number(process.env.ITERS ?? 5), tol: 0 }).fit(X)
const means = start.means.flat()
// P = L^-1 (lower), L L^T = covariance: |P (x - mean)|^2 is the Mahalanobis term
const prec = new Float64Array(k * d * d)
const logDetP = new Float64Array(k)
start.covariances.forEach((cov, c) => {
  const L = Array.from({ length: d }, () => new Float64Array(d))
  for (let j = 0; j < d; j++) {
    for (let l = 0; l <= j; l++) {
      let s = cov[j][l]
      for (let m = 0; m < l; m++) s -= L[j][m] * L[l][m]
      L[j][l] = j === l ? Math.sqrt(s) : s / L[l][l]
    }
  }
  const P = prec.subarray(c * d * d, (c + 1) * d * d)
  for (let j = 0; j < d; j++) {
    P[j * d + j] = 1 / L[j][j]
    for (let l = 0; l < j; l++) {
      let s = 0
      for (let m = l; m < j; m++) s += L[j][m] * P[m * d + l]
      P[j * d + l] = -s / L[j][j]
    }
    logDetP[c] += Math.log(P[j * d + j])
  }
})
const logWeights = new Float64Array(start.weights.map(Math.log))

function load(file) {
  const { exports: w } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {})
  let top = (w.heapBase() + 15) & ~15
  const place = (len) => { const p = top; top += (len * 8 + 15) & ~15; return p }
  const px = place(n * d), pm = place(k * d), pp = place(k * d * d), pl = place(k), pw = place(k)
  const plp = place(n * k), prl = place(n), pst = place(k + k * d + k * d * d)
  const scratchBytes = Math.max(w.scratchDensityFullBytes(d, k), w.scratchRespBytes(k), w.scratchStatsFullBytes(d, k))
  const ps = place(scratchBytes / 8 + 2)
  const need = top - w.memory.buffer.byteLength
  if (need > 0) w.memory.grow(Math.ceil(need / 65536))
  const f = (p, len) => new Float64Array(w.memory.buffer, p, len)
  f(px, n * d).set(X.data); f(pm, k * d).set(means); f(pp, k * d * d).set(prec); f(pl, k).set(logDetP); f(pw, k).set(logWeights)
  return {
    file,
    dens: () => w.logDensityFull(px, n, d, pm, k, pp, d * d, pl, plp, ps),
    resp: () => w.responsibilities(plp, n, k, pw, prl, 0, ps),
    stats: () => w.statsFull(px, n, d, plp, k, 0, pm, pst, ps),
    out: () => ({ lp: f(plp, n * k).slice(), st: f(pst, k + k * d + k * d * d).slice() }),
  }
}

const builds = files.map(load)
const time = (fn) => { const t = performance.now(); fn(); return performance.now() - t }
const results = builds.map(() => ({ dens: [], de: [], stats: [], all: [] }))
for (let r = 0; r < CALLS; r++) {
  builds.forEach((b, i) => {
    results[i].dens.push(time(b.dens))
    results[i].de.push(time(() => { b.dens(); b.resp() }))
    results[i].stats.push(time(b.stats))
    results[i].all.push(time(() => { b.dens(); b.resp(); b.stats() }))
  })
}
const best = (a) => Math.min(...a)
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1]
const ref = builds[0].out()
builds.forEach((b, i) => {
  const R = results[i]
  const o = b.out()
  const same = o.lp.every((v, j) => Object.is(v, ref.lp[j])) && o.st.every((v, j) => Object.is(v, ref.st[j]))
  const dr = o.lp.reduce((m, v, j) => Math.max(m, Math.abs(v - ref.lp[j])), 0)
  const ds = o.st.reduce((m, v, j) => Math.max(m, Math.abs(v - ref.st[j]) / (Math.abs(ref.st[j]) || 1)), 0)
  const f = (x) => x.toFixed(2)
  console.log(`${b.file}: (${n}, ${d}, ${k}) best/median of ${CALLS}: densities ${f(best(R.dens))}/${f(med(R.dens))}` +
    ` resp ~${f(best(R.de) - best(R.dens))}/${f(med(R.de) - med(R.dens))} statistics ${f(best(R.stats))}/${f(med(R.stats))}` +
    ` sum ${f(best(R.de) + best(R.stats))}, the three in a row ${f(best(R.all))}/${f(med(R.all))}${i > 0 ? (same ? ' (outputs bit-identical to the first)' : ` (OUTPUTS DIFFER from the first: responsibilities by up to ${dr.toExponential(1)}, statistics by up to ${ds.toExponential(1)} relative)`) : ''}`)
})

// LDA: one batch variational iteration (VE-step over every document + VM-step + the
// bound) on a synthetic corpus (vocabulary 5,000, ~100 tokens per document, K = 20),
// wasm SIMD vs wasm scalar vs pure JS. The kernel ratios are measured on 2,000
// documents (an iteration scales linearly in documents); emkit against scikit-learn
// (bench/lda_sklearn.py, same corpus written to a file) on the 20,000
// documents by (fit(m) - fit(1)) / (m - 1) on both sides (LDA_ITERS, default 3 = m).
import { writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { makeStepper } from '../dist/src/engine/steppers.js'
import { loadKernels } from '../dist/src/kernels/index.js'
import { LdaModel } from '../dist/src/models/lda/model.js'
import { LatentDirichletAllocation } from '../dist/src/index.js'
import { Rng } from '../dist/src/core/rng/rng.js'
import { BACKENDS, medians, ms, printTable, ratio } from './lib.mjs'

const V = 5000, K = 20

/** Seeded corpus: 40 planted topics over V terms, each document mixes two of them. */
export function ldaCorpus(nDocs, seed = 11) {
  const rng = new Rng(seed)
  const doc = [], term = [], count = []
  for (let d = 0; d < nDocs; d++) {
    const a = rng.integer(40), b = rng.integer(40)
    const counts = new Map()
    const n = 80 + rng.integer(41)
    for (let t = 0; t < n; t++) {
      const topic = rng.uniform() < 0.7 ? a : b
      const w = rng.uniform() < 0.9 ? (topic * 125 + rng.integer(125)) % V : rng.integer(V)
      counts.set(w, (counts.get(w) ?? 0) + 1)
    }
    for (const [w, c] of [...counts].sort((x, y) => x[0] - y[0])) { doc.push(d); term.push(w); count.push(c) }
  }
  return { doc, term, count, rows: nDocs, cols: V }
}

function csrOf(c) {
  const terms = new Float64Array(2 * c.term.length), lengths = new Float64Array(c.rows)
  for (let j = 0; j < c.term.length; j++) { terms[2 * j] = c.term[j]; terms[2 * j + 1] = c.count[j]; lengths[c.doc[j]]++ }
  return { terms, lengths }
}

function startLambda() {
  const rng = new Rng(3)
  return { components: Float64Array.from({ length: K * V }, () => rng.gamma(100, 100)), nBatchIter: 1 }
}

async function settle(terms, lengths, start, iterations) {
  const model = new LdaModel(await loadKernels('wasm'), { nComponents: K, nTerms: V, docTopicPrior: 1 / K, topicWordPrior: 1 / K, maxDocUpdateIter: 100, meanChangeTol: 1e-3, evaluateEvery: -1, perpTol: 0.1, learningOffset: 10, learningDecay: 0.7, batchSize: 128 })
  const data = model.prepare(terms, lengths)
  const stepper = makeStepper(model, { algorithm: 'variational' })
  let p = start
  for (let i = 0; i < iterations; i++) p = stepper.step(data, p).params
  model.release(data)
  return p
}

export async function run() {
  const small = ldaCorpus(2000)
  const { terms, lengths } = csrOf(small)
  // the kernels timed at a settled lambda (three iterations in), where the per-document
  // loops are as long as in most of a fit, and from the random start (the first, longest)
  const settled = await settle(terms, lengths, startLambda(), 3)
  const tasks = [], release = []
  for (const backend of BACKENDS) {
    const model = new LdaModel(await loadKernels(backend), { nComponents: K, nTerms: V, docTopicPrior: 1 / K, topicWordPrior: 1 / K, maxDocUpdateIter: 100, meanChangeTol: 1e-3, evaluateEvery: -1, perpTol: 0.1, learningOffset: 10, learningDecay: 0.7, batchSize: 128 })
    const data = model.prepare(terms, lengths)
    const stepper = makeStepper(model, { algorithm: 'variational' })
    const start = startLambda()
    tasks.push([backend, () => stepper.step(data, start)])
    tasks.push([`${backend}|settled`, () => stepper.step(data, settled)])
    release.push(() => model.release(data))
  }
  const t = await medians(tasks, { time: 300, iterations: 3, warmupIterations: 1 })
  release.forEach((r) => r())
  const rows = BACKENDS.map((b) => ['2000 x 5000, K=20', b === 'wasm' ? 'wasm-simd' : b, ms(t.get(b)), ratio(t.get(b), t.get('wasm')), ms(t.get(`${b}|settled`)), ratio(t.get(`${b}|settled`), t.get('wasm|settled'))])
  printTable(['corpus', 'backend', 'first iteration ms', 'vs simd', 'settled iteration ms', 'vs simd'], rows)
  if (process.env.LDA_KERNELS_ONLY) return

  const m = Number(process.env.LDA_ITERS ?? 3)
  const big = ldaCorpus(20000)
  const file = '/tmp/emkit-lda-bench.csv'
  writeFileSync(file, 'doc,term,count\n' + big.doc.map((d, j) => `${d},${big.term[j]},${big.count[j]}`).join('\n'))
  const fitTime = async (maxIter) => {
    const began = performance.now()
    await new LatentDirichletAllocation({ nComponents: K, maxIter, seed: 0 }).fit(big)
    return performance.now() - began
  }
  const cpu = () => process.cpuUsage()
  const c0 = cpu(); const one = await fitTime(1); const c1 = cpu(); const many = await fitTime(m); const c2 = cpu()
  const cpuMs = (a, b) => (b.user + b.system - a.user - a.system) / 1000
  const emkit = { wall: (many - one) / (m - 1), cpu: (cpuMs(c1, c2) - cpuMs(c0, c1)) / (m - 1) }
  let sk = null
  try {
    sk = JSON.parse(execFileSync('python3', [new URL('./lda_sklearn.py', import.meta.url).pathname, file, String(m)], { encoding: 'utf8' }))
  } catch (e) {
    console.log(`scikit-learn not measured: ${e.message}`)
  }
  const nnz = big.term.length
  printTable(['20000 x 5000, K=20 (nnz ' + nnz + ')', 'wall ms / iteration', 'CPU ms / iteration'], [
    ['emkit (wasm-simd, one thread)', ms(emkit.wall), ms(emkit.cpu)],
    ...(sk ? [['scikit-learn 1.9.1 (n_jobs=None)', ms(sk.wall), ms(sk.cpu)], ['scikit-learn / emkit', ratio(sk.wall, emkit.wall), ratio(sk.cpu, emkit.cpu)]] : []),
  ])
}

// Cold import-to-first-fit: a fresh Node process imports emkit and fits a K = 2 full
// GaussianMixture to Old Faithful. Each row is the median of RUNS fresh processes:
//  - import: `await import(entry)` (parse + evaluate the bundle);
//  - kernels: the first loadKernels('wasm') (decode + compile + instantiate the SIMD build);
//  - first fit: the fit itself, cold JavaScript;
//  - total: from before the import to the fitted model (the goal: <= 30 ms);
//  - node floor: importing an empty module the same way (what any import costs here).
// Timings of fresh processes are noisy on a busy machine: compare rows of one run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ms, printTable } from './lib.mjs'

const RUNS = 9

function script(url) {
  return `
    const t0 = performance.now()
    const emkit = await import(${JSON.stringify(url)})
    const t1 = performance.now()
    await emkit.loadKernels('wasm')
    const t2 = performance.now()
    await new emkit.GaussianMixture({ nComponents: 2, covarianceType: 'full' }).fit(emkit.faithfulRows())
    const t3 = performance.now()
    console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, t3 - t0]))`
}

function floorScript(url) {
  return `const t0 = performance.now(); await import(${JSON.stringify(url)}); console.log(JSON.stringify([performance.now() - t0, 0, 0, performance.now() - t0]))`
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Medians over RUNS fresh processes; the variants interleave so that a burst of load hits all of them alike. */
function measure(variants) {
  const all = variants.map(() => [])
  for (let r = 0; r < RUNS; r++) {
    variants.forEach(({ code }, v) => all[v].push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }))))
  }
  return all.map((runs) => [0, 1, 2, 3].map((j) => median(runs.map((r) => r[j]))))
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-cold-'))
  try {
    const empty = join(dir, 'empty.mjs')
    writeFileSync(empty, 'export {}\n')
    const entry = (rel) => new URL(rel, import.meta.url).href
    const variants = [
      { name: 'emkit (node bundle: the package entry)', code: script(entry('../dist/emkit.node.js')) },
      { name: 'dist/src/node.js (unbundled ESM)', code: script(entry('../dist/src/node.js')) },
      { name: 'node floor (an empty module)', code: floorScript(new URL(`file://${empty}`).href) },
    ]
    const results = measure(variants)
    console.log(`cold import-to-first-fit of faithful (K = 2, full), fresh Node process, median of ${RUNS}:\n`)
    printTable(['entry', 'import ms', 'kernels ms', 'first fit ms', 'total ms'], variants.map((v, i) => [v.name, ...results[i].map(ms)]))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run()

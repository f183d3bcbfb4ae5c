/**
 * The browser build tree-shakes: a bundle of `import { GaussianMixture } from 'emkit'`
 * (rolldown, the browser condition, minified) carries the mixture and what it runs on,
 * not the other estimators, and still fits; a bundle with `loadModel` keeps the
 * registry's kinds (their files are the package's declared side effects).
 *
 * Size, what a GMM-only app downloads to fit (the code loaded at start, the wasm
 * backend's wrappers and the start plans: `fitCode`, FIT_LIMIT): 100.2 kB minified, 34.2
 * kB gzip; at start (`code`, LIMIT) 80.7 kB, 27.6 kB gzip (2026-12-03 night, from 104.4 /
 * 35.2 and 84.9 / 28.6 on main at 702722d, whose serial fits over row blocks added 0.9).
 * Its steps (fit and start alike, minified): the base's sharded restarts and openShard
 * (shard-fit.ts), standardErrors (standard-errors.ts) and fitRestart
 * (parallel-restarts.ts) imported on demand, driving the estimator itself as their
 * hooks instead of an object of closures (-1.7, -0.2); the covariance structures' one
 * fromPublic (-0.3); score/bic/aic and GaussianMixture's fit calls typed by declarations,
 * not overrides calling super (-0.2); one message for parts used before their loader
 * (core/errors.ts: notLoaded) (-0.3); what only the HMMs' Gaussian emissions run of the
 * component (load, statistics, fromStats, recentreParams, rowDerivatives, completeLogLik,
 * sample) in GaussianEmission (gaussian-emission.ts) (-1.2); the structures' entry
 * names a function of the public shape (covariance-names.ts), not a table entry (-0.3).
 * Still not the 90 kB goal of issue 11 (bench/README.md says where the rest is and what
 * each further cut would change). Before that: 102.6 kB minified, 34.6
 * kB gzip (2026-12-03 evening; 102.8 and 34.7 after merging main's sharded copy; 103.5
 * and 34.9 after the command's rows in kernel memory, Arena.lend), from
 * 111.8 kB (37.6 gzip) that afternoon; not yet the 90 kB goal of issue 11. At start
 * alone (`code`, LIMIT): 83.6 kB, 28.2 kB gzip (83.7 and 28.3 after that merge; 87.9
 * and 29.9 before). The evening's steps (fit / start, minified): the wasm backend wraps
 * the kernel families apart, a GMM's fit loading only its core families (linalg,
 * mixture, rng, classify; kernels/wasm/index.ts; the others in modules it imports on demand)
 * (-4.4 / +0.5, then -0.2 / -0.2); estimators' runs call fitEM's loop (runEM) on their
 * schema-checked settings without fitEM's options' checks again (-1.0 / -1.0); the
 * Gaussian component's standard-error coordinates come with its derivatives
 * (gaussian-louis.ts), so free-coordinates.ts leaves the fit (-1.5 / -1.5); the
 * complete-data log-likelihood (complete-loglik.ts) comes with incremental EM, MCEM or
 * standard errors (-0.5 / -0.5); the fit's missing-value statistics and blocks
 * (missing-statistics.ts) come with data that have NaN (-1.2 / -1.3), and with them the
 * weights of rows with nothing observed (-0.4 / -0.3).
 * `node bench/bundle-attribution.mjs [--fit]` prints what the start (or the fit) is made of,
 * per source module (bench/README.md has the table). What remains is what synchronous
 * calls on a fitted model or every fit need: the estimator base (9.8 kB), the k-means
 * start (7.3), the mixture's estimator, model, component and covariance table (~18 kB),
 * the input checks (5.2), the wasm backend's core (heap 3.0, wrappers and checks 4.2,
 * the export list 1.0), the missing-data layout and densities of predict on rows with
 * NaN (2.1) and imputeMean's conditional means (2.4), the statistics reader of
 * `mStep(statistics)` (2.6), the option and strategy checks, the generator.
 *
 * The afternoon's steps at start (107.9 -> 86.5 kB, 87.9 after merging main): the wasm
 * backend's wrappers imported by loadKernels while the build compiles (-13.2 kB); the
 * options' doc strings made comments (-1.7); multiple imputation's draws (impute-draws.ts)
 * imported by `impute`, and the general dense algebra (dense-general.ts) apart from the
 * Cholesky routines (-2.5); the statistics format's writer (statistics-write.ts) and the
 * plans' answer readers (plan-answers.ts) apart (-1.3); restarts on the pool
 * (parallel-restarts.ts, never loaded in a browser) (-1.0); init 'hc''s driver
 * (hc-start.ts) with the agglomeration (-0.7); partialFit's and restore's bodies into
 * partial-fit.ts and persist-read.ts (-0.9).
 *
 * Earlier the same day: 115.7 kB before the base's rarely used bodies moved to modules
 * imported on first use (fit-stream.ts, partial-fit.ts, persist-read.ts, the Gaussian
 * component's Louis derivatives, SEM/MCEM's draws); 151.8 kB before the fit loaded by
 * option the strategy table's variants and accelerators, mclust's ten extra models, hc,
 * the information terms and online EM's step; 257 kB (88 kB gzip) before the browser
 * entry fetched the wasm builds as assets and loaded the JS twin and the inlined builds
 * on demand; 291 kB before the package declared its side effects.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { rolldown } from 'rolldown'
import { afterAll, describe, expect, it } from 'vitest'
import { faithfulRows, GaussianMixture } from '../../src/index.js'
import { REPO_ROOT } from '../helpers/static-server.js'

/** A regression guard at the size reached at start (81.4 kB: 80.7 before scoring in blocks of rows) plus a margin. */
const LIMIT = 81_700
/** What a plain fit has loaded (the start, the wasm backend's core wrappers and the start plans: 101.0 kB; 100.2 before scoring in blocks of rows): issue 11's measure (goal 90 kB), guarded so code moved off the start cannot grow unseen. */
const FIT_LIMIT = 101_300
const OTHER_ESTIMATORS = ['BayesianGaussianMixture', 'PoissonMixture', 'TMixture', 'MultivariateT', 'FactorAnalysis', 'GaussianHMM', 'CategoricalHMM', 'TobitRegression', 'ProbitRegression', 'LogisticGLMM', 'GammaPoisson']

describe('a GaussianMixture-only browser bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-bundle-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'emkit'), 'dir')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /**
   * The bundle's code loaded at start (the entry chunk and the chunks it imports
   * statically), the code it may load later (dynamic imports: the JS twin, the inlined
   * wasm kept as a fallback, rarely used paths), the code a plain fit has loaded (the
   * start, the wasm backend's wrappers and the start plans, with what they import), and
   * the assets emitted (the .wasm builds).
   */
  async function bundle(name: string, source: string): Promise<{ code: string; fitCode: string; lazy: { name: string; code: string }[]; assets: string[]; file: string }> {
    const input = join(dir, `${name}.js`)
    writeFileSync(input, source)
    // resolveNewUrlToAsset: emit new URL('…wasm', import.meta.url) as assets, as vite and webpack do
    const build = await rolldown({ input, platform: 'browser', logLevel: 'silent', experimental: { resolveNewUrlToAsset: true } })
    const out = join(dir, name)
    const { output } = await build.write({ dir: out, format: 'esm', minify: true, entryFileNames: '[name].bundle.mjs' })
    await build.close()
    const chunks = output.filter((o) => o.type === 'chunk')
    const entry = chunks.find((c) => c.isEntry)!
    const start = new Set([entry.fileName, ...entry.imports])
    for (const c of chunks) if (start.has(c.fileName)) for (const i of c.imports) start.add(i)
    const byFile = new Map(chunks.map((c) => [c.fileName, c]))
    const fit = new Set([...start, ...chunks.filter((c) => c.name === 'wasm' || c.name === 'start').map((c) => c.fileName)])
    for (const f of fit) for (const i of byFile.get(f)!.imports) fit.add(i)
    return {
      code: chunks.filter((c) => start.has(c.fileName)).map((c) => c.code).join('\n'),
      fitCode: chunks.filter((c) => fit.has(c.fileName)).map((c) => c.code).join('\n'),
      lazy: chunks.filter((c) => !start.has(c.fileName)).map((c) => ({ name: c.name, code: c.code })),
      assets: output.filter((o) => o.type === 'asset').map((a) => a.fileName),
      file: join(out, entry.fileName),
    }
  }

  it(`holds the mixture only, is at most ${LIMIT / 1000} kB minified, fetches its wasm, and fits`, async () => {
    const { code, fitCode, lazy, assets, file } = await bundle('gmm', "export { GaussianMixture } from 'emkit'\n")
    const kB = (text: string) => `${(text.length / 1000).toFixed(1)} kB minified, ${(gzipSync(text).length / 1000).toFixed(1)} kB gzip`
    console.log(`GMM-only browser bundle: ${kB(code)} at start; ${kB(fitCode)} once a plain fit has run (with the wasm backend's wrappers and the start plans); loaded on demand: ${lazy.map((c) => `${c.name} ${kB(c.code)}`).join('; ')}`)
    // an estimator's kind name as a string literal in any quotes (the minifier writes backticks)
    const named = (name: string) => new RegExp(`[\`'"]${name}[\`'"]`)
    expect(code).toMatch(named('GaussianMixture'))
    for (const name of OTHER_ESTIMATORS) expect(code, name).not.toMatch(named(name))
    expect(code.length).toBeLessThanOrEqual(LIMIT)
    expect(fitCode.length).toBeLessThanOrEqual(FIT_LIMIT)
    // the builds are assets, not base64 in the code loaded at start (the wasm magic is AGFzbQ in base64)
    expect(assets.filter((a) => a.endsWith('.wasm'))).toHaveLength(2)
    expect(code).not.toContain('AGFzbQ')
    const { GaussianMixture: Bundled } = await import(pathToFileURL(file).href) as { GaussianMixture: typeof GaussianMixture }
    const fitted = await new Bundled({ nComponents: 2, seed: 1 }).fit(faithfulRows())
    const here = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(faithfulRows())
    expect(fitted.logLik).toBe(here.logLik)
    // the base's rarely used bodies are loaded on demand, and run there
    for (const name of ['fit-stream', 'partial-fit', 'persist-read']) expect(lazy.map((c) => c.name), name).toContain(name)
    // the wasm backend's wrappers come with the build they wrap, on the first fit (kernels/index.ts)
    expect(lazy.map((c) => c.name)).toContain('wasm')
    const loaded = await Bundled.fromJSON(JSON.stringify(fitted.toJSON()))
    expect(loaded.predict(faithfulRows())).toEqual(here.predict(faithfulRows()))
    const X = faithfulRows()
    const streamed = await new Bundled({ nComponents: 2, seed: 1 }).fit(() => [X.slice(0, 100), X.slice(100)])
    const streamedHere = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(() => [X.slice(0, 100), X.slice(100)])
    expect(streamed.logLik).toBe(streamedHere.logLik)
    const online = await new Bundled({ nComponents: 2, seed: 1 }).partialFit(X)
    expect(online.logLik).toBe((await new GaussianMixture({ nComponents: 2, seed: 1 }).partialFit(X)).logLik)
  }, 60000)

  it('loads by option what only some fits run (an accelerator, mclust\'s other models, init \'hc\', the information terms), and fits with them', async () => {
    const { lazy, file } = await bundle('gmm-options', "export { GaussianMixture } from 'emkit'\n")
    for (const name of ['steppers', 'models', 'hc-start', 'information', 'covariance-table', 'kmeans-lloyd']) expect(lazy.map((c) => c.name), name).toContain(name)
    const { GaussianMixture: Bundled } = await import(pathToFileURL(file).href) as { GaussianMixture: typeof GaussianMixture }
    // given covariances of a structure not loaded yet are still checked at construction
    const singular = { means: [[0, 0], [1, 1]], covariances: [[1, 1], [1, 0]] }
    expect(() => new Bundled({ nComponents: 2, covarianceType: 'diag', init: singular })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    const diag = { nComponents: 2, covarianceType: 'diag', init: 'kmeans', seed: 1 } as const
    expect((await new Bundled(diag).fit(faithfulRows())).logLik).toBe((await new GaussianMixture(diag).fit(faithfulRows())).logLik)
    const options = { nComponents: 2, covarianceType: 'VEV', init: 'hc', accelerate: 'squarem', seed: 1 } as const
    const fitted = await new Bundled(options).fit(faithfulRows())
    const here = await new GaussianMixture(options).fit(faithfulRows())
    expect(fitted.logLik).toBe(here.logLik)
    // SEM's label draws (monte-carlo-draws.ts) are loaded with the strategy table
    const sem = { nComponents: 2, algorithm: 'sem', seed: 1 } as const
    expect((await new Bundled(sem).fit(faithfulRows())).logLik).toBe((await new GaussianMixture(sem).fit(faithfulRows())).logLik)
    expect((await fitted.standardErrors()).standardErrors).toEqual((await here.standardErrors()).standardErrors)
  }, 60000)

  it('with loadModel keeps every registered kind (the declared side effects)', async () => {
    const { file } = await bundle('load', "export { GaussianMixture, GaussianHMM, loadModel } from 'emkit'\n")
    const lib = await import(pathToFileURL(file).href) as { GaussianMixture: typeof GaussianMixture; GaussianHMM: new (o: object) => { fit(x: number[][]): Promise<{ toJSON(): object; predict(x: number[][]): number[] }> }; loadModel(json: unknown): Promise<{ predict(x: number[][]): number[] }> }
    const X = faithfulRows()
    for (const model of [await new lib.GaussianMixture({ nComponents: 3 }).fit(X), await new lib.GaussianHMM({ nComponents: 2 }).fit(X)]) {
      const loaded = await lib.loadModel(JSON.stringify(model.toJSON()))
      expect(loaded.predict(X)).toEqual(model.predict(X))
    }
  }, 60000)
})

describe('the declared side effects', () => {
  it('list every file of dist/src that runs statements at load (registrations, the pool, the edge modules)', async () => {
    const ts = (await import('typescript')).default
    const { readdirSync, readFileSync } = await import('node:fs')
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { sideEffects: string[] }
    const patterns = pkg.sideEffects.map((g) => new RegExp(`^${g.replace(/^\.\//, '').replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`))
    const walk = (d: string): string[] => readdirSync(join(REPO_ROOT, d), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(`${d}/${e.name}`) : e.name.endsWith('.js') ? [`${d}/${e.name}`] : []))
    const running = walk('dist/src').filter((file) => {
      const source = ts.createSourceFile(file, readFileSync(join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest)
      // statements other than declarations, imports and exports run when the module loads
      return source.statements.some((s) => ts.isExpressionStatement(s) || ts.isForOfStatement(s) || ts.isForStatement(s) || ts.isIfStatement(s))
    })
    expect(running.length).toBeGreaterThan(5)
    for (const file of running) expect(patterns.some((p) => p.test(file)), file).toBe(true)
  })
})

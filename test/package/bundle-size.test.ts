/**
 * The browser build tree-shakes: a bundle of `import { GaussianMixture } from 'emkit'`
 * (rolldown, the browser condition, minified) carries the mixture and what it runs on,
 * not the other estimators, and still fits; a bundle with `loadModel` keeps the
 * registry's kinds (their files are the package's declared side effects).
 *
 * Size: 257 kB minified as last measured (2026-12-03). It was 173 kB (62 kB gzip) before
 * that day's features landed on the base and the GMM: the kernels of LDA, the dense
 * layers, the regressions and CEM grew the two inlined wasm builds from 66 to 91 kB of
 * base64; mclust's 14 models and hc start, standard errors (numerical derivatives, Louis
 * terms), partialFit and streams, the sharded fit and imputation add ~70 kB of code the
 * base or the mixture imports. 160 kB before the bad-input checks came in, 291 kB before
 * the package declared its side effects. The 90 kB goal is not met: it needs the wasm
 * fetched as an asset instead of inlined, and the JS twin and the rarely used paths
 * loaded on demand.
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

/** A regression guard at the size reached (plus a margin), not the 90 kB goal. */
const LIMIT = 265_000
const OTHER_ESTIMATORS = ['BayesianGaussianMixture', 'PoissonMixture', 'TMixture', 'MultivariateT', 'FactorAnalysis', 'GaussianHMM', 'CategoricalHMM', 'TobitRegression', 'ProbitRegression', 'LogisticGLMM', 'GammaPoisson']

describe('a GaussianMixture-only browser bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-bundle-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'emkit'), 'dir')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function bundle(name: string, source: string): Promise<{ code: string; file: string }> {
    const input = join(dir, `${name}.js`)
    writeFileSync(input, source)
    const build = await rolldown({ input, platform: 'browser', logLevel: 'silent' })
    const file = join(dir, `${name}.bundle.mjs`)
    const { output } = await build.write({ file, format: 'esm', minify: true })
    await build.close()
    return { code: output[0].code, file }
  }

  it(`holds the mixture only, is at most ${LIMIT / 1000} kB minified, and fits`, async () => {
    const { code, file } = await bundle('gmm', "export { GaussianMixture } from 'emkit'\n")
    console.log(`GMM-only browser bundle: ${(code.length / 1000).toFixed(1)} kB minified, ${(gzipSync(code).length / 1000).toFixed(1)} kB gzip`)
    for (const name of OTHER_ESTIMATORS) expect(code, name).not.toContain(`'${name}'`)
    expect(code.length).toBeLessThanOrEqual(LIMIT)
    const { GaussianMixture: Bundled } = await import(pathToFileURL(file).href) as { GaussianMixture: typeof GaussianMixture }
    const fitted = await new Bundled({ nComponents: 2, seed: 1 }).fit(faithfulRows())
    const here = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(faithfulRows())
    expect(fitted.logLik).toBe(here.logLik)
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

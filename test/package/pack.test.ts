/**
 * `npm pack` gives a tarball that installs and fits: pack (without re-running the build:
 * `npm test` has just built), check its contents, install it into a fresh temporary
 * project (npm's cache first, the npm registry only for what the cache lacks), and fit
 * Old Faithful from it, with the pool, measuring cold import-to-first-fit; and
 * require() it from CommonJS.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { REPO_ROOT } from '../helpers/static-server.js'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }

describe('npm pack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emkit-pack-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('packs the wasm builds, ESM, .d.ts and README; the tarball installs and fits faithful', async () => {
    const packed = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, env, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[]
    const files = packed[0]!.files.map((f) => f.path)
    for (const f of ['README.md', 'package.json', 'dist/build/emkit.simd.wasm', 'dist/build/emkit.scalar.wasm', 'dist/build/wasm-inline.js',
      'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/node.js', 'dist/src/browser.js', 'dist/src/edge.js', 'dist/src/edge.d.ts',
      'dist/src/parallel/worker.js', 'dist/src/estimators/GaussianMixture.d.ts', 'dist/emkit.node.js', 'dist/emkit.worker.js']) {
      expect(files, f).toContain(f)
    }
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('dist/test/') || f.endsWith('.wat'))).toEqual([])

    const project = join(dir, 'project')
    execFileSync('mkdir', ['-p', project])
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'emkit-consumer', private: true, type: 'module' }))
    const tarball = join(dir, packed[0]!.filename)
    execFileSync(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, env, encoding: 'utf8', stdio: 'pipe' })
    expect(readdirSync(join(project, 'node_modules'))).toContain('emkit')

    writeFileSync(join(project, 'fit.mjs'), `
      const t0 = performance.now()
      const { GaussianMixture, faithfulRows, closePool } = await import('emkit')
      const gm = await new GaussianMixture({ nComponents: 2 }).fit(faithfulRows())
      const coldMs = performance.now() - t0
      const pooled = await new GaussianMixture({ nComponents: 2, nInit: 4, seed: 3, workers: 2 }).fit(faithfulRows())
      const serial = await new GaussianMixture({ nComponents: 2, nInit: 4, seed: 3, workers: 1 }).fit(faithfulRows())
      await closePool()
      console.log(JSON.stringify({ logLik: gm.fitResult.logLik, coldMs, same: pooled.fitResult.logLik === serial.fitResult.logLik }))
    `)
    const out = JSON.parse(execFileSync(process.execPath, ['fit.mjs'], { cwd: project, encoding: 'utf8' }).trim()) as { logLik: number; coldMs: number; same: boolean }
    const here = await new GaussianMixture({ nComponents: 2 }).fit(faithfulRows())
    expect(out.logLik).toBe(here.fitResult.logLik)
    expect(out.same).toBe(true)
    console.log(`installed package: cold import-to-first-fit of faithful ${out.coldMs.toFixed(1)} ms`)

    // require('emkit') from CommonJS: Node loads the ES module synchronously (require(esm), unflagged from
    // Node 20.19 and 22.12: what engines admits), the same module an import gets, worker pool included
    writeFileSync(join(project, 'fit.cjs'), `
      const { GaussianMixture, faithfulRows, closePool } = require('emkit')
      new GaussianMixture({ nComponents: 2, nInit: 4, seed: 3, workers: 2 }).fit(faithfulRows())
        .then(async (gm) => { await closePool(); console.log(JSON.stringify({ logLik: gm.fitResult.logLik })) })
    `)
    const cjs = spawnSync(process.execPath, ['fit.cjs'], { cwd: project, encoding: 'utf8' })
    expect(cjs.status, cjs.stderr).toBe(0)
    expect(cjs.stderr).toBe('') // no ExperimentalWarning
    const required = JSON.parse(cjs.stdout.trim()) as { logLik: number }
    const pooled = await new GaussianMixture({ nComponents: 2, nInit: 4, seed: 3, workers: 1 }).fit(faithfulRows())
    expect(required.logLik).toBe(pooled.fitResult.logLik)
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'emkit', 'package.json'), 'utf8')) as { engines: { node: string } }
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0')

    // types resolve for a TypeScript consumer
    writeFileSync(join(project, 'check.ts'), `import { GaussianMixture, bootstrap, closePool } from 'emkit'\nconst gm: GaussianMixture = new GaussianMixture({ nComponents: 2, workers: 'auto' })\nvoid gm; void bootstrap; void closePool\n`)
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'check.ts'], { cwd: project, encoding: 'utf8' })
    // a bundler's resolution (Vite's default) takes the 'types' / 'default' conditions: every public name must be there too
    writeFileSync(join(project, 'bundler.ts'), `import { GaussianMixture, GaussianHMM, bootstrap, closePool, loadModel, gmmSvg, parseCsv, faithfulRows, type CovariancesOf } from 'emkit'\n`
      + `const gm = new GaussianMixture({ nComponents: 2, covarianceType: 'diag' })\nconst c: CovariancesOf<'diag'> | null = gm.isFitted ? gm.covariances : null\n`
      + `void c; void GaussianHMM; void bootstrap; void closePool; void loadModel; void gmmSvg; void parseCsv; void faithfulRows\n`)
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'esnext', '--moduleResolution', 'bundler', '--target', 'es2022', '--skipLibCheck', 'bundler.ts'], { cwd: project, encoding: 'utf8' })
  }, 120000)
})

/** The package's entries: which file each export condition gives, and that the browser and edge graphs use no Node built-ins. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { moduleGraph, relativeFiles } from '../helpers/module-graph.js'
import { REPO_ROOT } from '../helpers/static-server.js'

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, { default: string; types: string } | string>> }
const root = pkg.exports['.']!

function target(condition: string): string {
  const t = root[condition]!
  return typeof t === 'string' ? t : t.default
}

describe('package entries', () => {
  it('maps workerd / edge-light / worker to the edge entry, browser to the browser entry, node to the pool entry', () => {
    for (const c of ['workerd', 'edge-light', 'worker']) expect(target(c)).toBe('./dist/src/edge.js')
    expect(target('browser')).toBe('./dist/src/browser.js')
    expect(target('node')).toBe('./dist/emkit.node.js') // one-file bundle of dist/src/node.js (cold import)
    expect(target('default')).toBe('./dist/src/index.js')
    // conditions are tried in order: the runtime-specific ones must come before node and default
    expect(Object.keys(root).indexOf('browser')).toBeLessThan(Object.keys(root).indexOf('node'))
    for (const c of Object.keys(root)) {
      const t = root[c]!
      for (const file of typeof t === 'string' ? [t] : [t.default, t.types]) expect(existsSync(join(REPO_ROOT, file)), file).toBe(true)
    }
  })

  it('the browser and edge entries import no Node built-ins and no packages', () => {
    for (const entry of ['browser.js', 'edge.js', 'index.js']) {
      const { files, external } = moduleGraph(join(REPO_ROOT, 'dist', 'src', entry))
      expect(external, entry).toEqual([])
      const names = relativeFiles(files, join(REPO_ROOT, 'dist'))
      expect(names.filter((f) => /parallel\/(pool|worker)\.js$/.test(f)), entry).toEqual([])
      for (const f of files.filter((x) => x.endsWith('.js'))) {
        expect(readFileSync(f, 'utf8'), f).not.toMatch(/\b(?:process\.|require\(|__dirname|Buffer\.)/)
      }
    }
    expect(moduleGraph(join(REPO_ROOT, 'dist', 'src', 'edge.js')).files.some((f) => f.endsWith('emkit.simd.wasm'))).toBe(true)
  })

  it('the node entry brings the pool, piscina loaded only on first use; the bundles are single files', () => {
    const { external } = moduleGraph(join(REPO_ROOT, 'dist', 'src', 'node.js'))
    expect(external.filter((e) => !e.startsWith('node:'))).toEqual([])
    expect(readFileSync(join(REPO_ROOT, 'dist', 'src', 'parallel', 'pool.js'), 'utf8')).toMatch(/import\('piscina'\)/)
    for (const bundle of ['emkit.node.js', 'emkit.worker.js']) {
      const { files, external: ext } = moduleGraph(join(REPO_ROOT, 'dist', bundle))
      expect(files).toHaveLength(1)
      expect(ext.filter((e) => !e.startsWith('node:'))).toEqual([])
    }
    expect(readFileSync(join(REPO_ROOT, 'dist', 'emkit.node.js'), 'utf8')).toMatch(/import\("piscina"\)/)
  })

  it('every entry exports the plots (index.ts carries them; edge re-exports index)', async () => {
    const PLOTS = ['gmmSvg', 'bicSvg', 'scatterMatrixSvg', 'hmmSvg', 'bootstrapSvg']
    for (const entry of ['dist/src/index.js', 'dist/src/browser.js', 'dist/emkit.node.js']) {
      const mod = (await import(join(REPO_ROOT, entry))) as Record<string, unknown>
      for (const name of PLOTS) expect(typeof mod[name], `${entry}: ${name}`).toBe('function')
    }
    // edge.js imports .wasm modules (Node cannot load it): it must re-export index.js whole
    expect(readFileSync(join(REPO_ROOT, 'dist', 'src', 'edge.js'), 'utf8')).toMatch(/export \* from '\.\/index\.js'/)
    const types = readFileSync(join(REPO_ROOT, 'dist', 'src', 'index.d.ts'), 'utf8')
    for (const name of ['BicSvgInput', 'ScatterMatrixSvgInput', 'HmmSvgInput', 'BootstrapSvgInput', 'CriterionRow']) expect(types).toContain(name)
  })
})

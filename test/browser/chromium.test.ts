/**
 * The browser entry in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core): the built ESM is served from 127.0.0.1, fits Old Faithful and must
 * give Node's log-likelihood; the demo page fits the BIC grid, draws the BIC plot and the
 * scatter matrix, takes iris with its text column, fits an HMM in its own tab and fits a
 * phone screen (screenshots written to $TMPDIR/emkit-demo*.png). Skipped, with a message, only when chromium is absent and
 * CI is not set; in CI a missing chromium fails.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { GaussianHMM, GaussianMixture } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { serveRepo } from '../helpers/static-server.js'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const present = existsSync(CHROMIUM)
const inCI = Boolean(process.env['CI'])
if (!present && !inCI) {
  console.warn(`SKIPPED: the Chromium browser tests need ${CHROMIUM} (apt-get install -y chromium); it is not installed and CI is not set.`)
}

// --headless and a fresh --user-data-dir are added by playwright
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
]

const FIT_SCRIPT = `
import * as m from '/dist/src/browser.js'
try {
  const out = {}
  for (const backend of ['wasm', 'wasm-scalar', 'js']) {
    const gm = await new m.GaussianMixture({ ...window.emkitOptions, backend }).fit(m.faithfulRows())
    out[backend] = gm.fitResult.logLik
  }
  out.kernels = (await m.loadKernels('wasm')).name
  window.emkitResult = out
} catch (e) {
  window.emkitResult = { error: String(e && e.stack || e) }
}
`

describe.skipIf(!present && !inCI)('headless Chromium', () => {
  let browser: Browser
  let server: Awaited<ReturnType<typeof serveRepo>>

  beforeAll(async () => {
    if (!present) throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run must install chromium.`)
    const { chromium } = await import('playwright-core')
    server = await serveRepo({ '/__blank.html': '<!doctype html><link rel="icon" href="data:,"><title>emkit test</title><body>test</body>' })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
  }, 60000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`))
    return { page, errors }
  }

  it('the browser build fits Old Faithful and gets the Node log-likelihood (1e-10 relative)', async () => {
    const options = { nComponents: 2, covarianceType: 'full', nInit: 3, seed: 4 } as const
    const node = await new GaussianMixture(options).fit(faithfulRows())
    const { page, errors } = await newPage()
    const requested: string[] = []
    page.on('request', (r) => requested.push(new URL(r.url()).pathname))
    await page.goto(`${server.url}/__blank.html`)
    // the page is plain ESM (page.evaluate's functions would be rewritten by vitest's transform)
    await page.evaluate(`window.emkitOptions = ${JSON.stringify(options)}`)
    await page.addScriptTag({ type: 'module', content: FIT_SCRIPT })
    await page.waitForFunction('window.emkitResult !== undefined', undefined, { timeout: 20000 })
    const result = (await page.evaluate('window.emkitResult')) as Record<string, number | string>
    expect(result['error']).toBeUndefined()
    expect(errors).toEqual([])
    expect(result['kernels']).toBe('wasm') // Chromium runs the SIMD build
    // the builds are fetched as assets (the scalar one only when asked for), never the inlined base64
    expect(requested).toContain('/dist/build/emkit.simd.wasm')
    expect(requested).toContain('/dist/build/emkit.scalar.wasm')
    expect(requested.filter((p) => p.includes('wasm-inline'))).toEqual([])
    for (const backend of ['wasm', 'wasm-scalar', 'js']) {
      const ll = result[backend] as number
      expect(Math.abs(ll - node.fitResult.logLik) / Math.abs(node.fitResult.logLik)).toBeLessThan(1e-10)
    }
    await page.close()
  }, 60000)

  /** Open the demo at a viewport size and wait for the first fit (the BIC grid on Old Faithful). */
  async function openDemo(width: number, height: number) {
    const { page, errors } = await newPage()
    await page.setViewportSize({ width, height })
    await page.goto(`${server.url}/demo/index.html`)
    await page.waitForSelector('body[data-state="fitted"]', { timeout: 60000 })
    return { page, errors }
  }

  /** Do something that refits or redraws, and wait until the page says it is done. */
  async function andWait(page: Page, key: 'state' | 'hmmState', action: () => Promise<unknown>) {
    await page.evaluate(`document.body.dataset.${key} = ''`)
    await action()
    const attr = key === 'state' ? 'data-state' : 'data-hmm-state'
    await page.waitForSelector(`body[${attr}="fitted"], body[${attr}="error"]`, { timeout: 60000 })
    expect(await page.evaluate(`document.body.dataset.${key}`)).toBe('fitted')
  }

  const count = (page: Page, selector: string) => page.evaluate(`document.querySelectorAll(${JSON.stringify(selector)}).length`) as Promise<number>
  const text = (page: Page, selector: string) => page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`) as Promise<string>

  it('the demo page: the BIC grid picks a model, the scatter matrix draws it, K and covariance pick another (Node numbers)', async () => {
    const { page, errors } = await openDemo(1100, 900)
    // the BIC plot: 4 covariance types x K = 1..9, the chosen model ringed
    expect(await count(page, '#bic svg .series')).toBe(4)
    expect(await count(page, '#bic svg .marker')).toBe(36)
    expect(await count(page, '#bic svg .chosen')).toBe(1)
    // the scatter matrix of the two columns, with the chosen model's ellipses in both pair cells
    const k = Number(await page.evaluate('document.body.dataset.k'))
    const cov = String(await page.evaluate('document.body.dataset.cov'))
    expect(await count(page, '#pairs svg .cell')).toBe(4)
    expect(await count(page, '#pairs svg .ellipse')).toBe(2 * 2 * k)
    expect(await count(page, '#pairs svg circle')).toBeGreaterThanOrEqual(2 * 272)
    expect(await text(page, '#status')).toMatch(new RegExp(`^Chosen: ${cov}, K = ${k} \\(K and covariance by the best BIC\\)`))
    // the page's numbers are Node's: the chosen model refitted here
    const node = await new GaussianMixture({ nComponents: k, covarianceType: cov as 'full', nInit: 3, seed: 0 }).fit(faithfulRows())
    const logLik = Number(await page.evaluate('document.body.dataset.logLik'))
    expect(Math.abs(logLik - node.fitResult.logLik)).toBeLessThan(1e-10 * Math.abs(node.fitResult.logLik))
    // mclust's choice on Old Faithful: EEE (tied), K = 3
    expect([cov, k]).toEqual(['tied', 3])

    // K = 2, full: picked from the grid, no refit
    await andWait(page, 'state', async () => {
      await page.selectOption('#k', '2')
      await page.selectOption('#cov', 'full')
    })
    expect(await text(page, '#pairs svg .title')).toMatch(/2-component Gaussian mixture \(full\)/)
    const two = await new GaussianMixture({ nComponents: 2, covarianceType: 'full', nInit: 3, seed: 0 }).fit(faithfulRows())
    expect(Math.abs(Number(await page.evaluate('document.body.dataset.logLik')) - two.fitResult.logLik)).toBeLessThan(1e-8 * Math.abs(two.fitResult.logLik))
    expect(await count(page, '#bic svg .criterion-panel')).toBe(1)
    await andWait(page, 'state', () => page.check('#icl'))
    expect(await count(page, '#bic svg .criterion-panel')).toBe(2)
    // the fit detail (first two columns and the trace) is one click away
    await page.click('#detail summary')
    expect(await count(page, '#plot svg .trace')).toBe(1)
    const shot = await page.screenshot({ fullPage: true })
    writeFileSync(join(tmpdir(), 'emkit-demo.png'), shot)
    expect(shot.length).toBeGreaterThan(20000)
    expect(errors).toEqual([])
    await page.close()
  }, 120000)

  it('the demo page on iris: Species is offered but not fitted, colours the points, and column picks refit', async () => {
    const { page, errors } = await openDemo(1100, 900)
    await andWait(page, 'state', () => page.selectOption('#source', 'iris'))
    expect(await count(page, '#columns input')).toBe(5)
    expect(await count(page, '#columns input:checked')).toBe(4)
    expect(await page.evaluate('document.querySelector(\'#columns input[data-column="Species"]\').disabled')).toBe(true)
    expect(await count(page, '#pairs svg .cell')).toBe(16)
    expect(await text(page, '#pairs svg .subtitle')).toMatch(/150 points · 4 columns/)
    // Species colours the points; the component ellipses turn to ink
    await andWait(page, 'state', () => page.selectOption('#colour', { label: 'Species' }))
    const legend = await page.evaluate('[...document.querySelectorAll("#pairs svg .legend-item")].map((e) => e.textContent.trim())') as string[]
    expect(legend.slice(0, 3)).toEqual(['setosa', 'versicolor', 'virginica'])
    // two columns only: refit, a 2 x 2 matrix
    await andWait(page, 'state', async () => {
      await page.uncheck('#columns input[data-column="Sepal.Length"]')
      await page.uncheck('#columns input[data-column="Sepal.Width"]')
    })
    expect(await count(page, '#pairs svg .cell')).toBe(4)
    expect(await page.evaluate('[...document.querySelectorAll("#pairs svg .column-name")].map((e) => e.textContent.trim())')).toEqual(['Petal.Length', 'Petal.Width'])
    const k = Number(await page.evaluate('document.body.dataset.k'))
    const cov = String(await page.evaluate('document.body.dataset.cov'))
    const petals = fixtureMatrix('iris.csv').map((r) => [r[2]!, r[3]!])
    const node = await new GaussianMixture({ nComponents: k, covarianceType: cov as 'full', nInit: 3, seed: 0 }).fit(petals)
    expect(Math.abs(Number(await page.evaluate('document.body.dataset.logLik')) - node.fitResult.logLik)).toBeLessThan(1e-8 * Math.abs(node.fitResult.logLik))
    writeFileSync(join(tmpdir(), 'emkit-demo-iris.png'), await page.screenshot({ fullPage: true }))
    expect(errors).toEqual([])
    await page.close()
  }, 120000)

  it('the demo page reads a CSV file: text and numeric columns, NA cells left out, no column chosen is an error', async () => {
    const { page, errors } = await openDemo(1100, 900)
    const rows = faithfulRows().slice(0, 120)
    const csv = ['"when";"eruptions";"waiting";"kind"', ...rows.map((r, i) => `"d${i}";${i === 7 ? 'NA' : String(r[0]).replace('.', ',')};${r[1]};${r[1]! > 70 ? 'long' : 'short'}`)].join('\n')
    await andWait(page, 'state', () => page.setInputFiles('#csv', { name: 'geyser.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }))
    expect(await page.evaluate('[...document.querySelectorAll("#columns label")].map((l) => l.textContent.trim())')).toEqual(['when (text)', 'eruptions', 'waiting', 'kind (text)'])
    expect(await text(page, '#status')).toMatch(/1 rows with missing values left out/)
    expect(await text(page, '#pairs svg .subtitle')).toMatch(/^119 points · 2 columns/)
    // a text column with a few values can colour the points; a row-name column cannot
    expect(await page.evaluate('[...document.querySelectorAll("#colour option")].map((o) => o.textContent)')).toEqual(['fitted component', 'kind'])
    await andWait(page, 'state', () => page.selectOption('#colour', { label: 'kind' }))
    expect(await page.evaluate('[...document.querySelectorAll("#pairs svg .legend-item")].slice(0, 2).map((e) => e.textContent.trim())')).toEqual(['long', 'short'])
    // nothing to fit: a message, then a column back: fitted again
    await page.evaluate(`document.body.dataset.state = ''`)
    await page.uncheck('#columns input[data-column="eruptions"]')
    await page.uncheck('#columns input[data-column="waiting"]')
    await page.waitForSelector('body[data-state="error"]')
    expect(await text(page, '#status')).toMatch(/Choose at least one numeric column/)
    await andWait(page, 'state', () => page.check('#columns input[data-column="waiting"]'))
    expect(await count(page, '#pairs svg .cell')).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  }, 120000)

  it('the demo page: the HMM tab fits a Gaussian HMM to the chosen columns and draws states and posteriors', async () => {
    const { page, errors } = await openDemo(1100, 900)
    await andWait(page, 'hmmState', () => page.click('#tab-hmm'))
    expect(await page.evaluate('document.getElementById("panel-mixture").hidden')).toBe(true)
    expect(await count(page, '#hmm-plot svg .series-panel')).toBe(2)
    expect(await count(page, '#hmm-plot svg .posterior')).toBe(3)
    expect(await count(page, '#hmm-plot svg .points circle')).toBe(2 * 272)
    const node = await new GaussianHMM({ nComponents: 3, covarianceType: 'diag', nInit: 3, seed: 0 }).fit(faithfulRows())
    expect(Math.abs(Number(await page.evaluate('document.body.dataset.hmmLogLik')) - node.fitResult.logLik)).toBeLessThan(1e-8 * Math.abs(node.fitResult.logLik))
    // fewer states and one column: refit
    await andWait(page, 'hmmState', async () => {
      await page.selectOption('#states', '2')
      await page.uncheck('#columns input[data-column="eruptions"]')
    })
    expect(await count(page, '#hmm-plot svg .series-panel')).toBe(1)
    expect(await count(page, '#hmm-plot svg .posterior')).toBe(2)
    writeFileSync(join(tmpdir(), 'emkit-demo-hmm.png'), await page.screenshot({ fullPage: true }))
    // back to the mixture tab: it refits for the one column left
    await andWait(page, 'state', () => page.click('#tab-mixture'))
    expect(await count(page, '#pairs svg .cell')).toBe(1)
    expect(await text(page, '#status')).toMatch(/^Chosen: /)
    expect(errors).toEqual([])
    await page.close()
  }, 120000)

  it('the demo page at phone width (390 px): nothing wider than the screen, plots drawn to fit (screenshots)', async () => {
    const { page, errors } = await openDemo(390, 844)
    const widths = async () => page.evaluate(`({
      page: document.documentElement.scrollWidth,
      svgs: [...document.querySelectorAll('svg')].filter((s) => s.getBoundingClientRect().width > 0 && !s.parentElement.closest('svg')).map((s) => [s.getBoundingClientRect().right, Number(s.getAttribute('width'))]),
    })`) as Promise<{ page: number; svgs: [number, number][] }>
    let w = await widths()
    expect(w.page).toBeLessThanOrEqual(390)
    expect(w.svgs.length).toBeGreaterThanOrEqual(2)
    for (const [right, drawn] of w.svgs) {
      expect(right).toBeLessThanOrEqual(390)
      expect(drawn).toBeLessThanOrEqual(390) // drawn at the width shown, not scaled down from 1000
    }
    writeFileSync(join(tmpdir(), 'emkit-demo-phone.png'), await page.screenshot({ fullPage: true }))
    await andWait(page, 'hmmState', () => page.click('#tab-hmm'))
    w = await widths()
    expect(w.page).toBeLessThanOrEqual(390)
    for (const [right] of w.svgs) expect(right).toBeLessThanOrEqual(390)
    writeFileSync(join(tmpdir(), 'emkit-demo-phone-hmm.png'), await page.screenshot({ fullPage: true }))
    expect(errors).toEqual([])
    await page.close()
  }, 120000)
})

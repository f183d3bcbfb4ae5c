/**
 * The browser entry in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core): the built ESM is served from 127.0.0.1, fits Old Faithful and must
 * give Node's log-likelihood; the demo page draws its plot (screenshot written to
 * $TMPDIR/emkit-demo.png). Skipped, with a message, only when chromium is absent and
 * CI is not set; in CI a missing chromium fails.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { GaussianMixture } from '../../src/index.js'
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
    await page.goto(`${server.url}/__blank.html`)
    // the page is plain ESM (page.evaluate's functions would be rewritten by vitest's transform)
    await page.evaluate(`window.emkitOptions = ${JSON.stringify(options)}`)
    await page.addScriptTag({ type: 'module', content: FIT_SCRIPT })
    await page.waitForFunction('window.emkitResult !== undefined', undefined, { timeout: 20000 })
    const result = (await page.evaluate('window.emkitResult')) as Record<string, number | string>
    expect(result['error']).toBeUndefined()
    expect(errors).toEqual([])
    expect(result['kernels']).toBe('wasm') // Chromium runs the SIMD build
    for (const backend of ['wasm', 'wasm-scalar', 'js']) {
      const ll = result[backend] as number
      expect(Math.abs(ll - node.fitResult.logLik) / Math.abs(node.fitResult.logLik)).toBeLessThan(1e-10)
    }
    await page.close()
  }, 60000)

  it('the demo page fits, draws points, ellipses and the log-likelihood trace (screenshot)', async () => {
    const { page, errors } = await newPage()
    await page.setViewportSize({ width: 1100, height: 800 })
    await page.goto(`${server.url}/demo/index.html`)
    await page.waitForSelector('body[data-state="fitted"]', { timeout: 20000 })
    const drawn = await page.evaluate(() => {
      const svg = document.querySelector('#plot svg')
      return {
        svg: Boolean(svg),
        circles: svg?.querySelectorAll('circle').length ?? 0,
        ellipses: svg?.querySelectorAll('ellipse').length ?? 0,
        paths: svg?.querySelectorAll('path, polyline').length ?? 0,
        width: svg?.getBoundingClientRect().width ?? 0,
        status: document.getElementById('status')?.textContent ?? '',
        logLik: Number(document.body.dataset['logLik']),
      }
    })
    expect(errors).toEqual([])
    expect(drawn.svg).toBe(true)
    expect(drawn.circles).toBeGreaterThanOrEqual(272) // every point
    expect(drawn.ellipses + drawn.paths).toBeGreaterThanOrEqual(3) // ellipses and the trace
    expect(drawn.width).toBeGreaterThan(500)
    expect(drawn.status).toMatch(/log-likelihood -1130\.\d+/)
    const node = await new GaussianMixture({ nComponents: 2 }).fit(faithfulRows())
    expect(Math.abs(drawn.logLik - node.fitResult.logLik)).toBeLessThan(1e-8 * Math.abs(node.fitResult.logLik))
    // choose K = 3, diagonal covariances, and fit again from the controls
    await page.selectOption('#k', '3')
    await page.selectOption('#cov', 'diag')
    await page.evaluate(() => { document.body.dataset['state'] = '' })
    await page.click('#fit')
    await page.waitForSelector('body[data-state="fitted"]', { timeout: 20000 })
    expect(await page.textContent('#plot svg')).toMatch(/3-component Gaussian mixture \(diag\)/)
    const shot = await page.screenshot({ fullPage: true })
    writeFileSync(join(tmpdir(), 'emkit-demo.png'), shot)
    expect(shot.length).toBeGreaterThan(20000)
    await page.close()
  }, 60000)
})

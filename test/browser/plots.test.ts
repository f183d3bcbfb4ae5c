/**
 * Every plot rendered by real headless Chromium (Debian's `chromium`, driven by
 * playwright-core): the browser's own text measurements must put every label inside
 * the picture and no two labels over each other; a screenshot of each is written to
 * $TMPDIR/emkit-plot-<name>.png to look at. Skipped, with a message, only when chromium
 * is absent and CI is not set.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { GaussianHMM, GaussianMixture, Rng, bicSvg, bootstrap, bootstrapSvg, faithfulRows, gmmSvg, hmmSvg, scatterMatrixSvg } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const present = existsSync(CHROMIUM)
const inCI = Boolean(process.env['CI'])
if (!present && !inCI) console.warn(`SKIPPED: the Chromium plot tests need ${CHROMIUM}; it is not installed and CI is not set.`)

const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage']

/** Runs in the page: the box of every text relative to the svg, and the svg's size. */
const MEASURE = `(() => {
  const svg = document.querySelector('svg')
  const frame = svg.getBoundingClientRect()
  const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '').map((t) => {
    const r = t.getBoundingClientRect()
    return { text: t.textContent, inMark: Boolean(t.closest('.mean')), x0: r.left - frame.left, y0: r.top - frame.top, x1: r.right - frame.left, y1: r.bottom - frame.top }
  })
  return { width: frame.width, height: frame.height, texts }
})()`

interface Measured { width: number; height: number; texts: { text: string; inMark: boolean; x0: number; y0: number; x1: number; y1: number }[] }

async function plots(): Promise<Record<string, string>> {
  const F = faithfulRows()
  const iris = fixtureMatrix('iris.csv')
  const irisColumns = ['Sepal.Length', 'Sepal.Width', 'Petal.Length', 'Petal.Width']
  const out: Record<string, string> = {}

  const gm = await new GaussianMixture({ nComponents: 3, nInit: 3, seed: 1 }).fit(F)
  out['gmm'] = gmmSvg({
    points: F, labels: gm.predict(F), columns: ['eruptions', 'waiting'], weights: gm.weights, means: gm.means, covariances: gm.fullCovariances, history: gm.history,
    title: 'Gaussian mixture of faithful.csv: K = 3, full covariance',
    notes: ['log-likelihood −1126.3167 · BIC 2331.527 · AIC 2286.633', `converged after ${gm.nIter} iterations · 17 parameters`],
  })
  out['gmm-phone'] = gmmSvg({
    points: F, labels: gm.predict(F), columns: ['eruptions', 'waiting'], weights: gm.weights, means: gm.means, covariances: gm.fullCovariances, history: gm.history,
    width: 360, title: 'Old Faithful: 3-component Gaussian mixture (full)', notes: ['log-likelihood −1126.3167 · BIC 2331.527'],
  })
  // large data: two captions, many points, a long legend note
  const rng = new Rng(2)
  const big = Array.from({ length: 60000 }, (_, i) => Array.from({ length: 5 }, () => (i % 3) * 2 + rng.normal()))
  const gb = await new GaussianMixture({ nComponents: 3, seed: 1 }).fit(big)
  out['gmm-large'] = gmmSvg({ points: big, labels: gb.predict(big), weights: gb.weights, means: gb.means, covariances: gb.fullCovariances, history: gb.history, notes: [`log-likelihood ${gb.fitResult.logLik} · BIC ${gb.bic(big)} · AIC ${gb.aic(big)}`] })
  out['gmm-flat'] = gmmSvg({ points: F, weights: [1], means: [[3.5, 70.9]], covariances: [[[1.3, 14], [14, 184]]], history: [-2345678.91234, -2345678.91234, -2345678.91234] })

  const rows: { k: number; model: string; bic: number; icl: number }[] = []
  for (const model of ['full', 'diag', 'spherical', 'tied'] as const) {
    for (let k = 1; k <= 7; k++) {
      const g = await new GaussianMixture({ nComponents: k, covarianceType: model, seed: 1 }).fit(F)
      const entropy = g.predictProba(F).reduce((s, p) => s + Math.log(Math.max(...p)), 0)
      rows.push({ k, model, bic: g.bic(F), icl: g.bic(F) - 2 * entropy })
    }
  }
  out['bic'] = bicSvg({ rows })
  out['bic-only'] = bicSvg({ rows: rows.map(({ k, model, bic }) => ({ k, model, bic })), title: 'Old Faithful: BIC by K and covariance type' })
  out['bic-phone'] = bicSvg({ rows, width: 390, height: 720 })

  const gi = await new GaussianMixture({ nComponents: 3, nInit: 3, seed: 1 }).fit(iris)
  out['pairs'] = scatterMatrixSvg({ points: iris, columns: irisColumns, labels: gi.predict(iris), weights: gi.weights, means: gi.means, covariances: gi.fullCovariances, title: 'Iris: 3-component mixture' })
  out['pairs-species'] = scatterMatrixSvg({
    points: iris, columns: irisColumns, labels: iris.map((_, i) => Math.floor(i / 50)), labelNames: ['setosa', 'versicolor', 'virginica'],
    weights: gi.weights, means: gi.means, covariances: gi.fullCovariances,
  })
  out['pairs-large'] = scatterMatrixSvg({ points: big, labels: gb.predict(big), weights: gb.weights, means: gb.means, covariances: gb.fullCovariances })

  const x = fixtureMatrix('hmm_gauss3_T2000.csv').map((r) => [r[0]!])
  const hmm = await new GaussianHMM({ nComponents: 3, seed: 1 }).fit(x)
  out['hmm'] = hmmSvg({ series: x, states: hmm.predict(x), posteriors: hmm.predictProba(x), means: hmm.means, columns: ['x'] })
  const h2 = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(F)
  out['hmm-2col'] = hmmSvg({ series: F, states: h2.predict(F), posteriors: h2.predictProba(F), means: h2.means, columns: ['eruptions', 'waiting'], lengths: [136, 136] })

  const bs = await bootstrap(() => new GaussianMixture({ nComponents: 2 }), F, { replicates: 100, seed: 1, workers: 1 })
  out['bootstrap'] = bootstrapSvg(bs)
  return out
}

describe.skipIf(!present && !inCI)('plots in headless Chromium', () => {
  let browser: Browser
  let svgs: Record<string, string>

  beforeAll(async () => {
    if (!present) throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run must install chromium.`)
    const { chromium } = await import('playwright-core')
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
    svgs = await plots()
  }, 120000)

  afterAll(async () => {
    await browser?.close()
  })

  const NAMES = ['gmm', 'gmm-phone', 'gmm-large', 'gmm-flat', 'bic', 'bic-only', 'bic-phone', 'pairs', 'pairs-species', 'pairs-large', 'hmm', 'hmm-2col', 'bootstrap']
  for (const name of NAMES) {
    it(`${name}: every label inside the picture, none over another (screenshot)`, async () => {
      const svg = svgs[name]!
      const [, w, h] = /width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number)
      const page = await browser.newPage({ viewport: { width: Math.ceil(w!), height: Math.ceil(h!) } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(String(e)))
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`)
      const m = (await page.evaluate(MEASURE)) as Measured
      expect(errors).toEqual([])
      expect(m.width).toBeCloseTo(w!, 0)
      const outside = m.texts.filter((t) => t.x0 < -0.5 || t.y0 < -0.5 || t.x1 > m.width + 0.5 || t.y1 > m.height + 0.5)
      expect(outside.map((t) => t.text)).toEqual([])
      // Labels over labels, or closer than 2 px side by side (they read as one run of
      // text); the numbers inside mean markers sit on data and are excluded.
      const labels = m.texts.filter((t) => !t.inMark)
      const clashes: string[] = []
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const a = labels[i]!
          const b = labels[j]!
          const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)
          const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)
          if (ox > -2 && oy > 2) clashes.push(`${JSON.stringify(a.text)} over ${JSON.stringify(b.text)}`)
        }
      }
      expect(clashes).toEqual([])
      const shot = await page.screenshot({ fullPage: true })
      writeFileSync(join(tmpdir(), `emkit-plot-${name}.png`), shot)
      expect(shot.length).toBeGreaterThan(10000)
      await page.close()
    }, 30000)
  }
})

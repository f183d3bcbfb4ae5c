// The emkit demo: client-side only, on the browser build (dist/src/browser.js: no Node
// built-ins, wasm inlined) and its SVG plots. Serve the package root over HTTP (e.g.
// `npx http-server .` or `python3 -m http.server`) and open /demo/.
//
// Mixture tab: every covariance type and K = 1..9 is fitted once per data, columns,
// restarts and seed (the BIC grid); K and the covariance type pick from that grid
// (or the best BIC), so changing them redraws without refitting. HMM tab: a Gaussian
// HMM on the same columns, rows read in order as one sequence.
import { GaussianHMM, GaussianMixture, bicSvg, gmmSvg, hmmSvg, scatterMatrixSvg } from '../dist/src/browser.js'
import { codes, completeRows, csvTable, faithfulTable } from './data.js'

const $ = (id) => document.getElementById(id)
const TYPES = ['full', 'diag', 'spherical', 'tied']
const MAX_K = 9
const MAX_CLASSES = 12

let table = faithfulTable()
let tableVersion = 0
let selected = [] // indices of the numeric columns to fit
let tab = 'mixture'
let generation = 0 // a newer update makes an older one stop between fits
let mixCache = null // { key, grid, models, rows, index, names, ms }
let hmmCache = null // { key, hmm, rows, index, names, states, posteriors, ms }

function say(id, text, isError = false) {
  $(id).textContent = text
  $(id).classList.toggle('error', isError)
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : String(v))

/** Pixel width for a plot in the visible panel (plots are drawn at the size they are shown, so text stays legible on a phone). */
function plotWidth() {
  const panel = tab === 'mixture' ? $('panel-mixture') : $('panel-hmm')
  return Math.max(320, Math.min(1000, Math.floor(panel.clientWidth || document.body.clientWidth - 24) - 2))
}

// ---------------------------------------------------------------- columns

function showColumns() {
  const box = $('columns')
  box.textContent = ''
  const numeric = table.columns.map((c, j) => (c.kind === 'number' ? j : -1)).filter((j) => j >= 0)
  selected = numeric.slice()
  table.columns.forEach((col, j) => {
    const label = document.createElement('label')
    const input = document.createElement('input')
    input.type = 'checkbox'
    input.value = String(j)
    input.dataset.column = col.name
    if (col.kind === 'number') {
      input.checked = true
      input.addEventListener('change', () => {
        selected = [...box.querySelectorAll('input:checked')].map((el) => Number(el.value))
        update()
      })
      label.append(input, ` ${col.name}`)
    } else {
      input.disabled = true
      label.className = 'text'
      label.title = 'A text column: not fitted (with a few distinct values it can colour the points)'
      const note = document.createElement('small')
      note.textContent = ' (text)'
      label.append(input, ` ${col.name}`, note)
    }
    box.append(label)
  })
  // Text columns with a few distinct values can colour the points (a row-name column cannot).
  const colour = $('colour')
  colour.length = 1
  table.columns.forEach((col, j) => {
    if (col.kind === 'text' && new Set(col.values).size <= MAX_CLASSES) colour.add(new Option(col.name, String(j)))
  })
}

async function setTable(next) {
  table = next
  tableVersion++
  showColumns()
  await update()
}

// ---------------------------------------------------------------- mixture

function commonOptions() {
  return { nInit: Math.max(1, Math.min(50, Number($('ninit').value) || 1)), seed: Number($('seed').value) || 0 }
}

function dispose(models) {
  for (const m of models.values()) m?.dispose?.()
}

/** What the mixture grid depends on (K, covariance type and colour only pick from it). */
function mixtureKey() {
  const { nInit, seed } = commonOptions()
  return JSON.stringify([tableVersion, selected, nInit, seed])
}

function hmmKey() {
  const { nInit, seed } = commonOptions()
  return JSON.stringify([tableVersion, selected, nInit, seed, Number($('states').value), $('hmm-cov').value])
}

/** The BIC grid for the current data, columns, restarts and seed (fitted once, then cached). */
async function mixtureGrid(gen) {
  const { nInit, seed } = commonOptions()
  const key = mixtureKey()
  if (mixCache?.key === key) return mixCache
  if (selected.length === 0) throw new Error('Choose at least one numeric column to fit.')
  const { rows, index } = completeRows(table, selected)
  if (rows.length < 2) throw new Error('Fewer than two rows have a value in every chosen column.')
  const names = selected.map((j) => table.columns[j].name)
  const maxK = Math.min(MAX_K, rows.length - 1)
  const grid = []
  const models = new Map()
  const began = performance.now()
  let done = 0
  for (const model of TYPES) {
    for (let k = 1; k <= maxK; k++) {
      if (gen !== generation) { dispose(models); return null }
      say('status', `Fitting the BIC grid: ${model}, K = ${k} (${++done} of ${TYPES.length * maxK})…`)
      await tick()
      try {
        const gm = await new GaussianMixture({ nComponents: k, covarianceType: model, nInit, seed }).fit(rows)
        const bic = gm.bic(rows)
        // ICL as mclust computes it: BIC plus the cost of the hard classification.
        const icl = bic - 2 * gm.predictProba(rows).reduce((s, p) => s + Math.log(Math.max(...p)), 0)
        grid.push({ k, model, bic, icl })
        models.set(`${model}:${k}`, gm)
      } catch (e) {
        grid.push({ k, model, bic: null, icl: null, error: e.message })
      }
    }
  }
  if (mixCache) dispose(mixCache.models)
  mixCache = { key, grid, models, rows, index, names, ms: performance.now() - began }
  return mixCache
}

/** The model the controls ask for: a fixed K and/or covariance type, the rest by the best BIC. */
function choose(grid) {
  const k = $('k').value === 'auto' ? null : Number($('k').value)
  const cov = $('cov').value === 'auto' ? null : $('cov').value
  const candidates = grid.filter((r) => r.bic !== null && (k === null || r.k === k) && (cov === null || r.model === cov))
  if (candidates.length === 0) {
    const failed = grid.find((r) => (k === null || r.k === k) && (cov === null || r.model === cov))
    throw new Error(`No ${cov ?? ''} model with K = ${k ?? 'any'} could be fitted${failed?.error ? `: ${failed.error}` : ''}.`)
  }
  return candidates.reduce((a, b) => (b.bic < a.bic ? b : a))
}

/** Colour of each fitted row: its component, or the chosen text column. */
function colouring(gm, rows, index) {
  const j = $('colour').value
  if (j === '') return { labels: gm.predict(rows), labelNames: null }
  const { codes: c, names } = codes(table.columns[Number(j)].values)
  return { labels: index.map((i) => c[i]), labelNames: names }
}

function renderMixture(cache) {
  const { grid, models, rows, index, names } = cache
  const best = choose(grid)
  const gm = models.get(`${best.model}:${best.k}`)
  const width = plotWidth()
  const how = [$('k').value === 'auto' ? 'K' : '', $('cov').value === 'auto' ? 'covariance' : ''].filter(Boolean).join(' and ')
  const showIcl = $('icl').checked
  $('bic').innerHTML = bicSvg({
    rows: grid.map(({ k, model, bic, icl }) => (showIcl ? { k, model, bic, icl } : { k, model, bic })),
    chosen: { model: best.model, k: best.k },
    title: `${table.name}: ${showIcl ? 'BIC and ICL' : 'BIC'} by K and covariance type`,
    width, height: width < 560 ? (showIcl ? 720 : 440) : 460,
  })
  const { labels, labelNames } = colouring(gm, rows, index)
  const title = `${table.name}: ${best.k}-component Gaussian mixture (${best.model})`
  $('pairs').innerHTML = scatterMatrixSvg({
    points: rows, columns: names, labels, labelNames,
    weights: gm.weights, means: gm.means, covariances: gm.fullCovariances, title,
    // about 230 px a column: two columns do not need the whole page
    width: Math.min(width, Math.max(480, 100 + 230 * names.length)),
  })
  $('plot').innerHTML = gmmSvg({
    points: rows, labels: gm.predict(rows), columns: names,
    weights: gm.weights, means: gm.means, covariances: gm.fullCovariances, history: gm.history,
    title, subtitle: `${rows.length} rows · ${gm.status} after ${gm.nIter} iterations`, width,
    notes: [`log-likelihood ${fmt(gm.fitResult.logLik, 4)} · BIC ${fmt(best.bic)}`],
  })
  const dropped = table.n - rows.length
  say('status', `Chosen: ${best.model}, K = ${best.k}${how ? ` (${how} by the best BIC)` : ''} · log-likelihood ${fmt(gm.fitResult.logLik, 4)} · BIC ${fmt(best.bic)} · `
    + `${grid.length} fits in ${fmt(cache.ms, 0)} ms${dropped > 0 ? ` · ${dropped} rows with missing values left out` : ''}.`)
  Object.assign(document.body.dataset, { state: 'fitted', logLik: String(gm.fitResult.logLik), k: String(best.k), cov: best.model })
}

// ---------------------------------------------------------------- HMM

async function fitHmm(gen) {
  const { nInit, seed } = commonOptions()
  const nComponents = Number($('states').value)
  const covarianceType = $('hmm-cov').value
  const key = hmmKey()
  if (hmmCache?.key === key) return hmmCache
  if (selected.length === 0) throw new Error('Choose at least one numeric column to fit.')
  const { rows, index } = completeRows(table, selected)
  const names = selected.map((j) => table.columns[j].name)
  say('hmm-status', `Fitting a ${nComponents}-state Gaussian HMM to ${rows.length} steps…`)
  await tick()
  const began = performance.now()
  const hmm = await new GaussianHMM({ nComponents, covarianceType, nInit, seed }).fit(rows)
  if (gen !== generation) { hmm.dispose?.(); return null }
  const states = hmm.predict(rows)
  const posteriors = hmm.predictProba(rows)
  hmmCache?.hmm.dispose?.()
  hmmCache = { key, hmm, rows, index, names, states, posteriors, ms: performance.now() - began }
  return hmmCache
}

function renderHmm(cache) {
  const { hmm, rows, names, states, posteriors } = cache
  $('hmm-plot').innerHTML = hmmSvg({
    series: rows, states, posteriors, means: hmm.means, columns: names, width: plotWidth(),
    title: `${table.name}: ${hmm.nComponents}-state Gaussian HMM (${hmm.covarianceType})`,
  })
  say('hmm-status', `Log-likelihood ${fmt(hmm.fitResult.logLik, 4)} · BIC ${fmt(hmm.bic(rows))} · ${hmm.status} after ${hmm.nIter} iterations · ${fmt(cache.ms, 0)} ms. Rows are read in order, as one sequence.`)
  Object.assign(document.body.dataset, { hmmState: 'fitted', hmmLogLik: String(hmm.fitResult.logLik) })
}

// ---------------------------------------------------------------- updates

async function update() {
  const gen = ++generation
  const which = tab
  const stateKey = which === 'mixture' ? 'state' : 'hmmState'
  document.body.dataset[stateKey] = 'fitting'
  try {
    if (which === 'mixture') {
      const cache = await mixtureGrid(gen)
      if (cache && gen === generation) renderMixture(cache)
    } else {
      const cache = await fitHmm(gen)
      if (cache && gen === generation) renderHmm(cache)
    }
  } catch (e) {
    if (gen !== generation) return
    say(which === 'mixture' ? 'status' : 'hmm-status', `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`, true)
    document.body.dataset[stateKey] = 'error'
  }
}

/**
 * Redraw from the cache (colour, K, covariance, ICL, width): nothing to refit. A cache
 * for other settings is left alone: the change that made it stale started a refit.
 */
function redraw() {
  try {
    if (tab === 'mixture' && mixCache?.key === mixtureKey()) renderMixture(mixCache)
    else if (tab === 'hmm' && hmmCache?.key === hmmKey()) renderHmm(hmmCache)
  } catch (e) {
    say(tab === 'mixture' ? 'status' : 'hmm-status', e.message, true)
    document.body.dataset[tab === 'mixture' ? 'state' : 'hmmState'] = 'error'
  }
}

function showTab(name) {
  tab = name
  for (const t of ['mixture', 'hmm']) {
    $(`tab-${t}`).setAttribute('aria-selected', String(t === name))
    $(`panel-${t}`).hidden = t !== name
  }
  $('mixture-controls').hidden = name !== 'mixture'
  $('hmm-controls').hidden = name !== 'hmm'
  update()
}

$('source').addEventListener('change', async () => {
  const source = $('source').value
  if (source === 'csv') return $('csv').click()
  try {
    if (source === 'faithful') await setTable(faithfulTable())
    else {
      const response = await fetch('./iris.csv')
      await setTable(csvTable('Iris', await response.text()))
    }
  } catch (e) {
    say('status', `Could not load ${source}: ${e.message}`, true)
  }
})

$('csv').addEventListener('change', async () => {
  const file = $('csv').files?.[0]
  if (!file) return
  try {
    await setTable(csvTable(file.name, await file.text()))
  } catch (e) {
    say('status', `Could not read ${file.name}: ${e.message}`, true)
    document.body.dataset.state = 'error'
  }
})

for (const id of ['colour', 'k', 'cov', 'icl']) $(id).addEventListener('change', redraw)
for (const id of ['states', 'hmm-cov', 'ninit', 'seed']) $(id).addEventListener('change', () => update())
$('tab-mixture').addEventListener('click', () => showTab('mixture'))
$('tab-hmm').addEventListener('click', () => showTab('hmm'))
$('controls').addEventListener('submit', (event) => {
  event.preventDefault()
  if (tab === 'mixture') mixCache = null
  else hmmCache = null
  update()
})
let resizing = 0
window.addEventListener('resize', () => {
  clearTimeout(resizing)
  resizing = setTimeout(redraw, 150)
})

// for tests and the console
window.emkitDemo = { update, setTable, showTab, get table() { return table } }
showColumns()
update()

// The emkit demo: client-side only, using the browser build (dist/src/browser.js, no
// Node built-ins, wasm inlined) and its SVG plot. Serve the package root over HTTP
// (e.g. `npx http-server .` or any static server) and open /demo/.
import { GaussianMixture, faithful, gmmSvg, parseCsv } from '../dist/src/browser.js'

const $ = (id) => document.getElementById(id)
const status = $('status')
let dataset = { name: 'Old Faithful', columns: [...faithful.columns], rows: faithful.rows.map((r) => [...r]) }

function say(text, isError = false) {
  status.textContent = text
  status.classList.toggle('error', isError)
}

async function fit() {
  const k = Number($('k').value)
  const covarianceType = $('cov').value
  const nInit = Math.max(1, Number($('ninit').value) || 1)
  const seed = Number($('seed').value) || 0
  say(`Fitting K = ${k} (${covarianceType}) to ${dataset.name}…`)
  const began = performance.now()
  const gm = new GaussianMixture({ nComponents: k, covarianceType, nInit, seed })
  await gm.fit(dataset.rows)
  const ms = performance.now() - began
  const X = dataset.rows
  const logLik = gm.fitResult.logLik
  const svg = gmmSvg({
    points: X,
    labels: gm.predict(X),
    columns: dataset.columns,
    weights: gm.weights,
    means: gm.means,
    covariances: gm.fullCovariances,
    history: gm.history,
    title: `${dataset.name}: ${k}-component Gaussian mixture (${covarianceType})`,
    subtitle: `${X.length} rows · ${gm.status} after ${gm.nIter} iterations · ${ms.toFixed(1)} ms`,
    notes: [`log-likelihood ${logLik.toFixed(4)}`, `BIC ${gm.bic(X).toFixed(2)}`],
  })
  $('plot').innerHTML = svg
  say(`Done: log-likelihood ${logLik.toFixed(6)}, ${gm.nIter} iterations, ${ms.toFixed(1)} ms (${gm.fitResult.status}).`)
  document.body.dataset.logLik = String(logLik)
  document.body.dataset.state = 'fitted'
  return gm
}

async function run() {
  try {
    await fit()
  } catch (e) {
    say(`${e.name ?? 'Error'}: ${e.message}`, true)
    document.body.dataset.state = 'error'
  }
}

$('source').addEventListener('change', () => {
  if ($('source').value === 'csv') $('csv').click()
  else {
    dataset = { name: 'Old Faithful', columns: [...faithful.columns], rows: faithful.rows.map((r) => [...r]) }
    run()
  }
})

$('csv').addEventListener('change', async () => {
  const file = $('csv').files?.[0]
  if (!file) return
  try {
    const { columns, matrix } = parseCsv(await file.text())
    const rows = Array.from({ length: matrix.rows }, (_, i) => Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols)))
    dataset = { name: file.name, columns: columns ?? Array.from({ length: matrix.cols }, (_, j) => `x${j + 1}`), rows }
    await run()
  } catch (e) {
    say(`Could not read ${file.name}: ${e.message}`, true)
  }
})

$('controls').addEventListener('submit', (event) => {
  event.preventDefault()
  run()
})

// for tests and the console
window.emkitDemo = { fit, setData: (name, columns, rows) => { dataset = { name, columns, rows } } }
run()

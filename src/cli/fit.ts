/** `emkit fit`: a Gaussian mixture, one model or a search over K and covariance types. */
import type { Matrix, MatrixBlocks } from '../core/matrix.js'
import type { StandardErrors } from '../engine/information/index.js'
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { mostProbable } from '../estimators/inputs.js'
import { selectGaussianMixture, type SelectionRow } from '../inference/selectGaussianMixture.js'
import { COVARIANCE_TYPES } from '../models/gmm/covariance.js'
import { covarianceDescription, covarianceStrategy, type GmmCovarianceType } from '../models/gmm/mclust/index.js'
import { bicSvg, gmmSvg, scatterMatrixSvg } from '../plot/index.js'
import { evenSubset } from '../plot/marks.js'
import type { FitArgs } from './args.js'
import { type Loaded, parameterWarning } from './data.js'
import { afterIterations, fmt, labeledMatrix, summaryHead, table } from './format.js'
import { labelsCsv, rowsInOrder } from './labels.js'
import { type Session, iterationText } from './session.js'

const DEFAULT_K = [1, 2, 3, 4, 5, 6]

export async function fitMixture(args: FitArgs, loaded: Loaded, s: Session): Promise<void> {
  const { data, columns, source } = loaded
  const options = {
    seed: args.seed, nInit: args.nInit, maxIter: args.maxIter, tol: args.tol, backend: args.backend,
    ...(args.regCovar !== null ? { regCovar: args.regCovar } : {}),
  }
  let model: GaussianMixture
  let rows: SelectionRow[] = []
  let best: { k: number; covarianceType: GmmCovarianceType } | null = null
  const single = args.covariance ?? (args.models?.length === 1 ? args.models[0]! : null)
  if (args.k !== null && args.k.length === 1 && single !== null) {
    const label = `K = ${args.k[0]}, ${single}`
    model = await new GaussianMixture({ ...options, nComponents: args.k[0]!, covarianceType: single })
      .fit(data, { onIteration: (info) => s.progress.update(() => `${label}: ${iterationText(info, args.nInit)}`) })
  } else {
    const kValues = args.k ?? DEFAULT_K
    const covarianceTypes = args.models ?? (args.covariance !== null ? [args.covariance] : COVARIANCE_TYPES)
    const cells = kValues.flatMap((k) => covarianceTypes.map((t) => `K = ${k}, ${t}`))
    let done = 0
    const selection = await selectGaussianMixture(data, {
      ...options, kValues, covarianceTypes, criterion: args.criterion,
      onFit: () => { done++ },
      fitOptions: { onIteration: (info) => s.progress.update(() => `model ${done + 1}/${cells.length}, ${cells[done]}: ${iterationText(info, args.nInit)}`) },
    })
    rows = selection.table
    model = selection.best.model
    best = { k: selection.best.k, covarianceType: selection.best.covarianceType }
    s.out(args.criterion === 'icl'
      ? 'ICL (BIC + the cost of the hard classification; smaller is better, * = chosen)\n'
      : 'BIC (-2 log-likelihood + parameters x log n; smaller is better, * = chosen)\n')
    s.out(criterionTable(rows, kValues, covarianceTypes, best, args.criterion) + '\n\n')
    const crowded = rows.filter((r) => r.nParameters !== null && r.nParameters > data.rows && !(r.k === best!.k && r.covarianceType === best!.covarianceType))
    if (crowded.length > 0) s.warn(`${crowded.length} model${crowded.length === 1 ? '' : 's'} of the search (${crowded.map((r) => `K = ${r.k} ${r.covarianceType}`).join(', ')}) ha${crowded.length === 1 ? 's' : 've'} more free parameters than the ${data.rows} rows`)
  }
  const stats = { logLik: model.logLik, bic: model.bic(), aic: model.aic() }
  const crowded = parameterWarning(`the ${best ? 'chosen ' : ''}model (K = ${model.nComponents}, ${model.covarianceType})`, model.nParameters(), data.rows)
  if (crowded) s.warn(crowded)
  s.out(summary(model, stats, columns, best !== null) + '\n')
  const se = args.se ? await model.standardErrors({ method: args.se }) : null
  if (se) s.out(standardErrorTable(se, columns ?? []) + '\n')

  if (args.svg) s.write(args.svg, mixtureSvg(model, data, columns, source, stats), 'Plot')
  if (args.bicSvg && rows.length > 0) {
    s.write(args.bicSvg, bicSvg({
      rows: rows.map((r) => ({ k: r.k, model: r.covarianceType, bic: r.bic, icl: r.icl })),
      chosen: best ? { k: best.k, model: best.covarianceType } : null,
      title: `Model selection for ${baseName(source)}`,
      subtitle: `${data.rows} rows x ${data.cols} columns · chosen by ${args.criterion.toUpperCase()}: K = ${best!.k}, ${best!.covarianceType}`,
    }), 'BIC plot')
  }
  // the probabilities a block of rows at a time (a predictProba per 1,024 rows made so
  // much garbage per row that a 2-column file's labels peaked at 4.4x it)
  if (args.labels) model.withPosteriorBlocks(data, (post) => s.write(args.labels!, labelsOf(model, data, loaded, post), 'Labels'))
  if (args.save) s.write(args.save, savedModel(model, columns), 'Model')
  if (args.json) {
    s.write(args.json, JSON.stringify({
      source, rows: data.rows, columns,
      options,
      model: {
        nComponents: model.nComponents, covarianceType: model.covarianceType,
        weights: model.weights, means: model.means, covariances: model.covariances,
        ...stats,
        nParameters: model.nParameters(), nIter: model.nIter, converged: model.converged, status: model.status, history: model.history,
      },
      ...(se ? { standardErrors: { method: se.method, names: se.names, estimates: se.estimates, standardErrors: se.standardErrors, covariance: se.covariance, ...(se.rate !== undefined ? { rate: se.rate } : {}) } } : {}),
      selection: rows.length > 0 ? { criterion: args.criterion, best, table: rows } : null,
    }, null, 2) + '\n', 'Parameters')
  }
}

/** Estimates with their standard errors, the mixture's names in the data's column names (mean[0][1] -> mean[0][waiting]). */
function standardErrorTable(se: StandardErrors, columns: readonly string[]): string {
  const named = (name: string): string => name.replace(/^(mean|var|cov)((?:\[\d+\])*)$/, (_, kind: string, idx: string) => {
    const ix = [...idx.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))
    // a component index first (mean, var of a non-tied type, cov[c][i][j]), then columns
    const cols = kind === 'mean' ? ix.slice(1) : ix.length === 3 ? ix.slice(1) : kind === 'var' && ix.length === 2 ? ix.slice(1) : kind === 'cov' ? ix : []
    const lead = ix.slice(0, ix.length - cols.length)
    return `${kind}${lead.map((c) => `[${c}]`).join('')}${cols.map((c) => `[${columns[c] ?? c}]`).join('')}`
  })
  const rows = se.names.map((n, i) => [named(n), fmt(se.estimates[i]!, 6), fmt(se.standardErrors[i]!, 4)])
  const rate = se.rate !== undefined ? `; EM's rate of convergence ${fmt(se.rate, 4)}` : ''
  return `Standard errors (observed information, method ${se.method}${rate}):\n` + table(['parameter', 'estimate', 'std. error'], rows) + '\n'
}

/** The labels CSV of `data` under a fitted or loaded mixture, as chunks: each block of rows is scored as it is written (rows are independent). */
export function labelsOf(model: GaussianMixture, data: Matrix, loaded: Loaded, posteriors: MatrixBlocks): Iterable<string> {
  const rows = rowsInOrder(posteriors)
  return labelsCsv(data.rows, posteriors.cols, (start, end) => {
    // predict is the most probable of these same probabilities
    const probabilities = rows(start, end)
    return { labels: mostProbable(probabilities, end - start, posteriors.cols), probabilities }
  }, loaded.rowNames)
}

/** The model document (loadModel reads it) with the fitted columns' names beside it, so --predict can pick them again. */
export function savedModel(model: { toJSON(): object }, columns: readonly string[] | null): string {
  return JSON.stringify({ ...model.toJSON(), columns }) + '\n'
}

/** Rows the CLI hands a plot of two or more columns (gmmSvg draws at most 5,000). */
const PLOTTED_ROWS = 5000
/** Values of one column the CLI hands the density plot (its histogram reads them all). */
const PLOTTED_VALUES_1D = 100_000

/** One or two columns: the mixture over its data with the fit history; more: every pair of columns with the ellipses. */
export function mixtureSvg(model: GaussianMixture, data: Matrix, columns: string[] | null, source: string, stats: { logLik: number; bic: number; aic: number }): string {
  // the plots draw a few thousand points: only those rows become arrays (all of them would
  // cost several times a large file's size); one column keeps more for its histogram
  const shown = evenSubset(data.rows, data.cols === 1 ? PLOTTED_VALUES_1D : PLOTTED_ROWS)
  const points = shown.map((i) => Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)))
  // rows are scored independently: only the drawn rows are labelled (not an E-step and an n-long array over the file)
  const labels = shown.length < data.rows ? model.predict(points) : model.predict(data)
  const drawn = shown.length < data.rows ? ` · ${shown.length.toLocaleString('en-US')} of ${data.rows.toLocaleString('en-US')} rows drawn (evenly spaced)` : ''
  const title = `Gaussian mixture of ${baseName(source)}: K = ${model.nComponents}, ${model.covarianceType} covariance`
  if (data.cols > 2) {
    return scatterMatrixSvg({
      points, labels, columns, weights: model.weights, means: model.means, covariances: model.fullCovariances, title,
      subtitle: `log-likelihood ${fmt(stats.logLik, 7)} · BIC ${fmt(stats.bic, 7)} · ${afterIterations(model.status, model.nIter)}${drawn}`,
    })
  }
  return gmmSvg({
    points, labels, columns,
    weights: model.weights, means: model.means, covariances: model.fullCovariances, history: model.history, title,
    notes: [
      `log-likelihood ${fmt(stats.logLik, 7)} · BIC ${fmt(stats.bic, 7)} · AIC ${fmt(stats.aic, 7)}`,
      `${afterIterations(model.status, model.nIter)} · ${model.nParameters()} parameters${drawn}`,
    ],
  })
}

export function baseName(source: string): string {
  return source.split(/[\\/]/).pop()!
}

function criterionTable(rows: readonly SelectionRow[], kValues: readonly number[], types: readonly GmmCovarianceType[], best: { k: number; covarianceType: GmmCovarianceType }, criterion: 'bic' | 'icl'): string {
  const notes: string[] = []
  const body = kValues.map((k) => [
    `K = ${k}`,
    ...types.map((t) => {
      const r = rows.find((x) => x.k === k && x.covarianceType === t)
      const mark = best.k === k && best.covarianceType === t ? '*' : ' '
      const value = r?.[criterion]
      if (value != null) return `${value.toFixed(2)}${mark}`
      if (r?.error) notes.push(`  K = ${k}, ${t}: ${r.status} (${r.error.code})`)
      return `${r?.status ?? '-'} `
    }),
  ])
  return table(['', ...types], body) + (notes.length > 0 ? `\nnot fitted:\n${notes.join('\n')}` : '')
}

export function summary(gm: GaussianMixture, fitStats: { logLik: number; bic: number; aic: number }, columns: string[] | null, chosen: boolean, head?: string[]): string {
  const d = gm.nFeatures
  const names = columns ?? Array.from({ length: d }, (_, j) => `x${j + 1}`)
  const lines = head ?? summaryHead(`${chosen ? 'Chosen model' : 'Model'}: K = ${gm.nComponents}, covariance '${gm.covarianceType}'`, fitStats, gm.nParameters(), gm.status, gm.nIter)
  const body = gm.weights.map((w, c) => [String(c + 1), fmt(w, 5), ...gm.means[c]!.map((v) => fmt(v, 5))])
  lines.push(table(['component', 'weight', ...names.map((s) => `mean ${s}`)], body).split('\n').map((l) => '  ' + l).join('\n'))
  lines.push('')
  const full = gm.fullCovariances
  const described = covarianceDescription(gm.covarianceType)
  if (covarianceStrategy(gm.covarianceType).shared) {
    lines.push(`  covariance (${gm.covarianceType}: ${described})`)
    lines.push(labeledMatrix(full[0]!, names, '    '))
  } else {
    lines.push(`  covariances${described === '' ? '' : ` (${gm.covarianceType}: ${described})`}`)
    full.forEach((S, c) => {
      lines.push(`    component ${c + 1}`)
      lines.push(labeledMatrix(S, names, '      '))
    })
  }
  return lines.join('\n')
}

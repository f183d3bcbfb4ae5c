/** `emkit hmm`: a Gaussian hidden Markov model over the rows as one sequence; K by BIC (or ICL) when several are given. */
import type { Matrix, MatrixBlocks } from '../core/matrix.js'
import { GaussianHMM } from '../estimators/hmm/GaussianHMM.js'
import '../registry/kinds/hmm.js'
import { selectModel, type SelectRow } from '../inference/select-model.js'
import type { GaussianHMMOptions } from '../estimators/hmm/GaussianHMM.js'
import { bicSvg, hmmSvgChunks } from '../plot/index.js'
import { evenSubset } from '../plot/marks.js'
import type { FitArgs } from './args.js'
import { type Loaded, parameterWarning } from './data.js'
import { baseName, savedModel } from './fit.js'
import { fmt, labeledMatrix, summaryHead, table } from './format.js'
import { labelsCsv, rowsInOrder } from './labels.js'
import { type Session, iterationText } from './session.js'

const DEFAULT_K = [1, 2, 3, 4, 5, 6]

export async function fitHmm(args: FitArgs, loaded: Loaded, s: Session): Promise<void> {
  const { data, source } = loaded
  const options: GaussianHMMOptions = {
    seed: args.seed, nInit: args.nInit, maxIter: args.maxIter, tol: args.tol, backend: args.backend,
    // the HMM's schema refuses mclust's names (a Gaussian mixture's only) with its own message
    covarianceType: (args.covariance ?? 'diag') as GaussianHMMOptions['covarianceType'],
    ...(args.regCovar !== null ? { regCovar: args.regCovar } : {}),
  }
  const kValues = args.k ?? DEFAULT_K
  let model: GaussianHMM
  let rows: SelectRow<GaussianHMMOptions>[] = []
  if (kValues.length === 1) {
    model = await new GaussianHMM({ ...options, nComponents: kValues[0]! })
      .fit(data, { onIteration: (info) => s.progress.update(() => `K = ${kValues[0]}: ${iterationText(info, args.nInit)}`) })
  } else {
    let done = 0
    const selection = await selectModel(() => new GaussianHMM(options), data, {
      grid: { nComponents: kValues }, criterion: args.criterion,
      onFit: () => { done++ },
      fitOptions: { onIteration: (info) => s.progress.update(() => `model ${done + 1}/${kValues.length}, K = ${kValues[done]}: ${iterationText(info as never, args.nInit)}`) },
    })
    rows = selection.table
    model = selection.best.model
    s.out(`${args.criterion === 'icl' ? 'ICL' : 'BIC'} of each number of states (smaller is better, * = chosen; covariance '${options.covarianceType}')\n`)
    s.out(table(['', 'BIC', 'ICL', 'log-likelihood', 'parameters'], rows.map((r) => {
      const mark = r === selection.table[selection.best.index] ? '*' : ' '
      const value = (v: number | null, c: 'bic' | 'icl') => (v === null ? r.status : `${v.toFixed(2)}${c === args.criterion ? mark : ' '}`)
      return [`K = ${r.params.nComponents}`, value(r.bic, 'bic'), value(r.icl, 'icl'), fmt(r.logLik, 8), String(r.nParameters ?? '-')]
    })) + '\n\n')
  }
  const stats = { logLik: model.score(), bic: model.bic(), aic: model.aic() }
  const crowded = parameterWarning(`the ${rows.length > 0 ? 'chosen ' : ''}model (K = ${model.nComponents}, ${model.covarianceType})`, model.nParameters(), data.rows)
  if (crowded) s.warn(crowded)
  // the path as a JS array only for the plot and the labels, a byte a step; the summary
  // counts it where Viterbi wrote it, in kernel memory the fit's buffers had touched
  const states = args.svg || args.labels ? compactPath(model, data) : null
  const counts = states ? stateCounts(states, model.nComponents) : model.withPath(data, (path) => stateCounts(path, model.nComponents))
  s.out(summary(model, stats, loaded.columns, counts, rows.length > 0) + '\n')

  // the posteriors a block of steps at a time, in time order, as the plot and the labels
  // are written (forward-backward once for each): never n x K of them
  if (states) {
    model.withPosteriorBlocks(data, (post) => {
      if (args.svg) s.write(args.svg, statesSvg(model, data, loaded, states, post), 'Plot')
      writeBicSvg(args, loaded, model, options, rows, s)
      if (args.labels) s.write(args.labels, hmmLabelsOf(model, data, loaded, states, post), 'Labels')
    })
  } else {
    writeBicSvg(args, loaded, model, options, rows, s)
  }
  if (args.save) s.write(args.save, savedModel(model, loaded.columns), 'Model')
  if (args.json) {
    s.write(args.json, JSON.stringify({
      source, rows: data.rows, columns: loaded.columns, options,
      model: {
        nComponents: model.nComponents, covarianceType: model.covarianceType,
        startProb: model.startProb, transMat: model.transMat, means: model.means, covariances: model.covariances,
        ...stats, nParameters: model.nParameters(), nIter: model.nIter, converged: model.converged, status: model.status, history: model.history,
      },
      selection: rows.length > 0
        ? { criterion: args.criterion, best: { k: model.nComponents }, table: rows.map(({ params, ...r }) => ({ k: params.nComponents, ...r })) }
        : null,
    }, null, 2) + '\n', 'Parameters')
  }
}

/** The BIC plot of the search (between the state plot and the labels, as the files are listed). */
function writeBicSvg(args: FitArgs, loaded: Loaded, model: GaussianHMM, options: GaussianHMMOptions, rows: SelectRow<GaussianHMMOptions>[], s: Session): void {
  const { data, source } = loaded
  if (args.bicSvg && rows.length > 0) {
    const chosen = rows.find((r) => r.params.nComponents === model.nComponents)!
    s.write(args.bicSvg, bicSvg({
      rows: rows.map((r) => ({ k: r.params.nComponents!, model: options.covarianceType!, bic: r.bic, icl: r.icl })),
      chosen: { k: chosen.params.nComponents!, model: options.covarianceType! },
      title: `Number of states for ${baseName(source)}`, xTitle: 'number of states K',
      subtitle: `Gaussian HMM, ${options.covarianceType} covariance · ${data.rows} steps · chosen by ${args.criterion.toUpperCase()}: K = ${model.nComponents}`,
    }), 'BIC plot')
  }
}

/** Viterbi states as labels, forward-backward posteriors (read a block of steps at a time, in time order) as probabilities, as chunks. */
export function hmmLabelsOf(model: GaussianHMM, data: Matrix, loaded: Loaded, states: Uint8Array | Int32Array, post: MatrixBlocks): Iterable<string> {
  const rows = rowsInOrder(post)
  return labelsCsv(data.rows, post.cols, (start, end) => ({ labels: states.subarray(start, end), probabilities: rows(start, end) }), loaded.rowNames)
}

/** Points drawn per panel of the state plot (hmmSvg's default): beyond it, an evenly spaced subset. */
const PLOTTED_STEPS = 4000

/** The state plot as chunks of its text, made as the file is written (a long series' plot is never held whole: see hmmSvgChunks). */
export function statesSvg(model: GaussianHMM, data: Matrix, loaded: Loaded, states: ArrayLike<number>, posteriors: MatrixBlocks): Iterable<string> {
  // the series and posteriors go in as they are, row-major: the plot reads the steps it draws and bins the rest
  const drawn = data.rows > PLOTTED_STEPS ? ` · ${evenSubset(data.rows, PLOTTED_STEPS).length.toLocaleString('en-US')} of ${data.rows.toLocaleString('en-US')} steps drawn as points (evenly spaced)` : ''
  return hmmSvgChunks({
    series: data, states, posteriors, means: model.means, columns: loaded.columns, maxPoints: PLOTTED_STEPS,
    title: `Hidden Markov model of ${baseName(loaded.source)}: K = ${model.nComponents} states, ${model.covarianceType} covariance`,
    subtitle: `Viterbi path and posterior state probabilities · ${data.rows.toLocaleString('en-US')} steps · ${model.status} after ${model.nIter} iterations${drawn}`,
  })
}

/**
 * The Viterbi path at a byte a step (up to 256 states), written there by Viterbi:
 * an Int32Array was 0.37x a 2-column file of short values beside the labels, and a
 * path in kernel memory would grow it for good.
 */
export function compactPath(model: GaussianHMM, data: Matrix): Uint8Array | Int32Array {
  return model.predictPath(data, {}, model.nComponents <= 256 ? new Uint8Array(data.rows) : new Int32Array(data.rows))
}

/** Steps of the path in each of the K states. */
function stateCounts(path: ArrayLike<number>, K: number): number[] {
  const counts = new Array<number>(K).fill(0)
  for (let t = 0; t < path.length; t++) counts[path[t]!]!++
  return counts
}

function summary(hmm: GaussianHMM, stats: { logLik: number; bic: number; aic: number }, columns: string[] | null, counts: readonly number[], chosen: boolean): string {
  const K = hmm.nComponents
  const names = columns ?? Array.from({ length: hmm.nFeaturesIn }, (_, j) => `x${j + 1}`)
  const stateNames = Array.from({ length: K }, (_, c) => String(c + 1))
  const steps = counts.reduce((a, b) => a + b, 0)
  const lines = summaryHead(`${chosen ? 'Chosen model' : 'Model'}: K = ${K} states, covariance '${hmm.covarianceType}'`, stats, hmm.nParameters(), hmm.status, hmm.nIter)
  const start = hmm.startProb
  const body = hmm.means.map((m, c) => [stateNames[c]!, fmt(start[c]!, 5), `${counts[c]} (${fmt((100 * counts[c]!) / steps, 3)}%)`, ...m.map((v) => fmt(v, 5))])
  lines.push(table(['state', 'start', 'Viterbi rows', ...names.map((n) => `mean ${n}`)], body).split('\n').map((l) => '  ' + l).join('\n'))
  lines.push('', '  transition probabilities (row: from, column: to)')
  lines.push(labeledMatrix(hmm.transMat, stateNames, '    '))
  lines.push('', `  covariances${hmm.covarianceType === 'tied' ? ' (tied: shared by every state)' : ''}`)
  const full = hmm.fullCovariances
  const shown = hmm.covarianceType === 'tied' ? [full[0]!] : full
  shown.forEach((S, c) => {
    if (hmm.covarianceType !== 'tied') lines.push(`    state ${c + 1}`)
    lines.push(labeledMatrix(S, names, '      '))
  })
  return lines.join('\n')
}

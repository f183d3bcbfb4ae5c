/**
 * `emkit fit FILE --stream | --online`: a Gaussian mixture of a CSV file larger than
 * memory. --stream runs exact EM, reading the file once per iteration (one chunk of
 * rows and the statistics in memory); --online runs one pass of online EM
 * (partialFit, chunk by chunk). Neither holds the rows, so nothing that needs them
 * (plots, labels) is offered.
 */
import { markOwned } from '../core/validate.js'
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { fromCsvStream } from '../io/csv-stream.js'
import type { FitArgs } from './args.js'
import { type ColumnRanges, columnRanges, FileError, parameterWarning, rangeWarnings, readErrorsAsFileErrors } from './data.js'
import { fmt, summaryHead } from './format.js'
import { savedModel, summary } from './fit.js'
import type { CliIO } from './io.js'
import { iterationText, type Session } from './session.js'

export async function fitStreamed(args: FitArgs, io: CliIO, s: Session): Promise<void> {
  const file = args.file!
  const source = file === '-' ? 'standard input' : file
  let columns: string[] | null = null
  let rows = 0, chunks = 0
  // the columns' ranges, gathered on the first pass, for the warnings a fit in memory gives before fitting
  let ranges: ColumnRanges | null = null, firstPass = true
  const read = () => (async function* () {
    rows = 0; chunks = 0
    for await (const chunk of fromCsvStream(fileChunks(io, file, source), { missing: 'nan', rowNames: 'auto', ...(args.columns ? { columns: args.columns } : {}), ...(args.chunkRows !== null ? { chunkRows: args.chunkRows } : {}) })) {
      columns = chunk.columns
      rows += chunk.rows
      chunks++
      if (firstPass) ranges = columnRanges(chunk, ranges ?? undefined)
      // the reader's copy of these rows, which only the fit reads: checked, not copied again
      markOwned(chunk)
      yield chunk
    }
    firstPass = false
  })()
  const k = args.k![0]!
  const covarianceType = args.covariance ?? args.models?.[0] ?? 'full'
  const model = new GaussianMixture({
    nComponents: k, covarianceType, seed: args.seed, maxIter: args.maxIter, tol: args.tol, backend: args.backend, nInit: 1,
    ...(args.regCovar !== null ? { regCovar: args.regCovar } : {}),
  })
  const label = `K = ${k}, ${covarianceType}`
  let head: string[]
  if (args.stream) {
    await model.fit(read, { onIteration: (info) => s.progress.update(() => `${label}, streamed: ${iterationText(info, 1)}`) })
    const stats = { logLik: model.logLik, bic: model.bic(), aic: model.aic() }
    s.out(`Data: ${source} (${rows} rows x ${model.nFeatures} columns${columns ? `: ${(columns as string[]).join(', ')}` : ''}), read in ${chunks} chunks per pass\n\n`)
    head = summaryHead(`Model: K = ${k}, covariance '${covarianceType}' (exact EM over the stream: ${model.nIter + 2} passes over the file)`, stats, model.nParameters(), model.status, model.nIter)
    s.out(summary(model, stats, columns, false, head) + '\n')
  } else {
    let seen = 0
    for await (const chunk of read()) {
      await model.partialFit(chunk)
      seen += chunk.rows
      s.progress.update(() => `${label}, online: ${seen} rows`)
    }
    s.out(`Data: ${source} (${rows} rows x ${model.nFeatures} columns${columns ? `: ${(columns as string[]).join(', ')}` : ''}), read once in ${chunks} chunks\n\n`)
    head = [
      `Model: K = ${k}, covariance '${covarianceType}' (online EM, one pass: ${model.nSeen} rows)`,
      `  log-likelihood of the last chunk ${fmt(model.fitResult.logLik, 8)} (at the parameters before its update); the whole file's is not evaluated (use --stream for exact EM)`,
      '',
    ]
    s.out(summary(model, { logLik: NaN, bic: NaN, aic: NaN }, columns, false, head) + '\n')
  }
  if (ranges) for (const w of rangeWarnings(ranges, columns)) s.warn(w)
  const crowded = parameterWarning(`the model (K = ${k}, ${covarianceType})`, model.nParameters(), rows)
  if (crowded) s.warn(crowded)
  if (args.save) s.write(args.save, savedModel(model, columns), 'Model')
  if (args.json) {
    s.write(args.json, JSON.stringify({
      source, rows, columns, mode: args.stream ? 'stream' : 'online', chunks,
      model: {
        nComponents: model.nComponents, covarianceType: model.covarianceType, weights: model.weights, means: model.means, covariances: model.covariances,
        ...(args.stream ? { logLik: model.logLik, bic: model.bic(), aic: model.aic(), nIter: model.nIter, status: model.status, history: model.history } : { nSeen: model.nSeen }),
      },
    }, null, 2) + '\n', 'Parameters')
  }
}

/** The file's pieces of text, a failure to read it a FileError (as for a fit in memory). */
function fileChunks(io: CliIO, file: string, source: string): AsyncGenerator<string> {
  try {
    return readErrorsAsFileErrors(io.readFile(file), source)
  } catch (e) {
    throw new FileError(`cannot read ${source}: ${(e as Error).message}`)
  }
}

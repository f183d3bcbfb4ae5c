import { faithful } from '../data/faithful.js'
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { selectGaussianMixture, type SelectionRow } from '../inference/select.js'
import { parseCsv } from '../io/csv.js'
import { EmkitError } from '../io/errors.js'
import type { Matrix } from '../io/matrix.js'
import { toMatrix } from '../io/validate.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../models/gmm/covariance.js'
import { gmmSvg } from '../plot/svg.js'
import { HELP, parseFitArgs, UsageError, type FitArgs } from './args.js'
import { fmt, matrix, table } from './format.js'

/** What the command touches outside itself: injected so tests need no processes or files. */
export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  readFile(path: string): string
  writeFile(path: string, text: string): void
}

/** Run `emkit` with `argv` (without the node and script paths); resolves to the exit status. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
      io.stdout(HELP)
      return argv.length === 0 ? 2 : 0
    }
    if (argv[0] !== 'fit') throw new UsageError(`unknown command '${argv[0]}' (the command is 'fit'; see emkit --help)`)
    const args = parseFitArgs(argv.slice(1))
    if (args.help) { io.stdout(HELP); return 0 }
    if (args.covariance !== null && !(COVARIANCE_TYPES as readonly string[]).includes(args.covariance)) {
      throw new UsageError(`--covariance must be one of ${COVARIANCE_TYPES.join(', ')}, got '${args.covariance}'`)
    }
    await fit(args, io)
    return 0
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`emkit: ${e.message}\n`)
      return 2
    }
    if (e instanceof EmkitError) {
      io.stderr(`emkit: ${e.message} [${e.code}]\n`)
      return 1
    }
    throw e
  }
}

async function fit(args: FitArgs, io: CliIO): Promise<void> {
  const { data, columns, source } = loadData(args, io)
  const options = { seed: args.seed, nInit: args.nInit, maxIter: args.maxIter, tol: args.tol, backend: args.backend as 'wasm' }
  let model: GaussianMixture
  let rows: SelectionRow[] = []
  if (args.k !== null && args.covariance !== null) {
    model = await new GaussianMixture({ ...options, nComponents: args.k, covarianceType: args.covariance as CovarianceType }).fit(data)
    io.stdout(`Data: ${source} (${data.rows} rows x ${data.cols} columns)\n\n`)
  } else {
    const kValues = args.k !== null ? [args.k] : [1, 2, 3, 4, 5, 6]
    const covarianceTypes = args.covariance !== null ? [args.covariance as CovarianceType] : COVARIANCE_TYPES
    const selection = await selectGaussianMixture(data, { ...options, kValues, covarianceTypes })
    rows = selection.table
    model = selection.best.model
    io.stdout(`Data: ${source} (${data.rows} rows x ${data.cols} columns)\n\n`)
    io.stdout(`BIC (-2 log-likelihood + parameters x log n; smaller is better, * = chosen)\n`)
    io.stdout(bicTable(rows, kValues, covarianceTypes, selection.best) + '\n\n')
  }
  io.stdout(summary(model, data) + '\n')
  if (args.svg) {
    const svg = gmmSvg({
      points: rowsOf(data), labels: model.predict(data), columns,
      weights: model.weights, means: model.means, covariances: model.fullCovariances, history: model.history,
      title: `Gaussian mixture of ${source}: K = ${model.nComponents}, ${model.covarianceType} covariance`,
      notes: [`log-likelihood ${fmt(model.score(data) * data.rows, 7)}`, `BIC ${fmt(model.bic(data), 7)}`],
    })
    io.writeFile(args.svg, svg)
    io.stdout(`\nPlot written to ${args.svg}\n`)
  }
  if (args.json) {
    io.writeFile(args.json, JSON.stringify({
      source, rows: data.rows, columns,
      model: {
        nComponents: model.nComponents, covarianceType: model.covarianceType,
        weights: model.weights, means: model.means, covariances: model.covariances,
        logLik: model.score(data) * data.rows, bic: model.bic(data), aic: model.aic(data),
        nParameters: model.nParameters(), nIter: model.nIter, status: model.status, history: model.history,
      },
      selection: rows,
    }, null, 2) + '\n')
    io.stdout(`Parameters written to ${args.json}\n`)
  }
}

function loadData(args: FitArgs, io: CliIO): { data: Matrix; columns: string[] | null; source: string } {
  if (args.file === null) {
    return { data: toMatrix(faithful.rows, 'faithful'), columns: [...faithful.columns], source: 'Old Faithful (embedded)' }
  }
  let text: string
  try {
    text = io.readFile(args.file)
  } catch (e) {
    throw new EmkitError('INVALID_DATA', `cannot read ${args.file}: ${(e as Error).message}`)
  }
  const parsed = parseCsv(text)
  return { data: toMatrix(parsed.matrix, args.file), columns: parsed.columns, source: args.file }
}

function bicTable(rows: readonly SelectionRow[], kValues: readonly number[], types: readonly CovarianceType[], best: { k: number; covarianceType: CovarianceType }): string {
  const body = kValues.map((k) => [
    `K = ${k}`,
    ...types.map((t) => {
      const r = rows.find((x) => x.k === k && x.covarianceType === t)
      const mark = best.k === k && best.covarianceType === t ? '*' : ' '
      return r?.bic != null ? `${r.bic.toFixed(2)}${mark}` : `${r?.status ?? '-'} `
    }),
  ])
  return table(['', ...types], body)
}

function summary(gm: GaussianMixture, data: Matrix): string {
  const logLik = gm.score(data) * data.rows
  const lines = [
    `Chosen model: K = ${gm.nComponents}, covariance '${gm.covarianceType}'`,
    `  log-likelihood ${fmt(logLik, 8)}   BIC ${fmt(gm.bic(data), 8)}   AIC ${fmt(gm.aic(data), 8)}   parameters ${gm.nParameters()}`,
    `  ${gm.status} after ${gm.nIter} iterations`,
  ]
  const full = gm.fullCovariances
  gm.weights.forEach((w, c) => {
    lines.push(`  component ${c + 1}: weight ${fmt(w, 5)}`)
    lines.push(`    mean       ${gm.means[c]!.map((v) => fmt(v, 5)).join('  ')}`)
    lines.push(`    covariance\n${matrix(full[c]!, '      ')}`)
  })
  return lines.join('\n')
}

function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)))
}

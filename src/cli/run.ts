import { faithful } from '../data/faithful.js'
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { selectGaussianMixture, type SelectionRow } from '../inference/selectGaussianMixture.js'
import { parseCsv } from '../io/csv.js'
import { EmkitError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../models/gmm/covariance.js'
import { gmmSvg } from '../plot/svg.js'
import { HELP, parseFitArgs, UsageError, type FitArgs } from './args.js'
import { fmt, labeledMatrix, table } from './format.js'

/** What the command touches outside itself: injected so tests need no processes or files. */
export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  /** Read a text file; the path '-' means standard input. */
  readFile(path: string): string
  writeFile(path: string, text: string): void
}

/** A file that could not be read or written: exit status 1, like a data error. */
class FileError extends Error {}

/** Run `emkit` with `argv` (without the node and script paths); resolves to the exit status. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout(HELP)
      return 0
    }
    if (argv.length === 0) {
      io.stderr(`emkit: missing command\n\n${HELP}`)
      return 2
    }
    if (argv[0] !== 'fit') throw new UsageError(`unknown command '${argv[0]}' (the command is 'fit'; see emkit --help)`)
    const args = parseFitArgs(argv.slice(1))
    if (args.help) { io.stdout(HELP); return 0 }
    await fit(args, io)
    return 0
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`emkit: ${e.message}\n`)
      return 2
    }
    if (e instanceof EmkitError) {
      io.stderr(`emkit: ${e.message} [${e.code}]\n${hintFor(e, argv)}`)
      return 1
    }
    if (e instanceof FileError) {
      io.stderr(`emkit: ${e.message}\n`)
      return 1
    }
    // A bug: say so plainly, with the stack, rather than crash with an unhandled rejection.
    const err = e as Error
    io.stderr(`emkit: unexpected error: ${err?.stack ?? String(e)}\nPlease report this with the command line and the data.\n`)
    return 1
  }
}

/** A concrete next step for errors where the command line can fix it. */
function hintFor(e: EmkitError, argv: readonly string[]): string {
  const numeric = e.details.numericColumns
  if (e.code === 'PARSE_ERROR' && Array.isArray(numeric) && numeric.length > 0 && !argv.includes('--columns') && !argv.some((a) => a.startsWith('--columns='))) {
    const list = numeric.map((c) => (typeof c === 'number' ? String(c + 1) : c.includes(',') ? `'${c}'` : c)).join(',')
    return `emkit: to fit the numeric columns only, add --columns ${list}\n`
  }
  return ''
}

async function fit(args: FitArgs, io: CliIO): Promise<void> {
  const { data, columns, source } = loadData(args, io)
  const options = {
    seed: args.seed, nInit: args.nInit, maxIter: args.maxIter, tol: args.tol, backend: args.backend,
    ...(args.regCovar !== null ? { regCovar: args.regCovar } : {}),
  }
  io.stdout(`Data: ${source} (${data.rows} rows x ${data.cols} column${data.cols === 1 ? '' : 's'}${columns ? `: ${columns.join(', ')}` : ''})\n\n`)
  let model: GaussianMixture
  let rows: SelectionRow[] = []
  let best: { k: number; covarianceType: CovarianceType } | null = null
  if (args.k !== null && args.covariance !== null) {
    model = await new GaussianMixture({ ...options, nComponents: args.k, covarianceType: args.covariance }).fit(data)
  } else {
    const kValues = args.k !== null ? [args.k] : [1, 2, 3, 4, 5, 6]
    const covarianceTypes = args.covariance !== null ? [args.covariance] : COVARIANCE_TYPES
    const selection = await selectGaussianMixture(data, { ...options, kValues, covarianceTypes })
    rows = selection.table
    model = selection.best.model
    best = { k: selection.best.k, covarianceType: selection.best.covarianceType }
    io.stdout(`BIC (-2 log-likelihood + parameters x log n; smaller is better, * = chosen)\n`)
    io.stdout(bicTable(rows, kValues, covarianceTypes, best) + '\n\n')
  }
  const logLik = model.score(data) * data.rows
  const bic = model.bic(data)
  const aic = model.aic(data)
  io.stdout(summary(model, { logLik, bic, aic }, columns, best !== null) + '\n')
  if (args.svg) {
    const svg = gmmSvg({
      points: rowsOf(data), labels: model.predict(data), columns,
      weights: model.weights, means: model.means, covariances: model.fullCovariances, history: model.history,
      title: `Gaussian mixture of ${source.split(/[\\/]/).pop()}: K = ${model.nComponents}, ${model.covarianceType} covariance`,
      notes: [
        `log-likelihood ${fmt(logLik, 7)} · BIC ${fmt(bic, 7)} · AIC ${fmt(aic, 7)}`,
        `${model.status} after ${model.nIter} iteration${model.nIter === 1 ? '' : 's'} · ${model.nParameters()} parameters`,
      ],
    })
    write(io, args.svg, svg)
    io.stdout(`\nPlot written to ${args.svg}\n`)
  }
  if (args.json) {
    write(io, args.json, JSON.stringify({
      source, rows: data.rows, columns,
      options,
      model: {
        nComponents: model.nComponents, covarianceType: model.covarianceType,
        weights: model.weights, means: model.means, covariances: model.covariances,
        logLik, bic, aic,
        nParameters: model.nParameters(), nIter: model.nIter, converged: model.converged, status: model.status, history: model.history,
      },
      selection: rows.length > 0 ? { criterion: 'bic', best, table: rows } : null,
    }, null, 2) + '\n')
    io.stdout(`${args.svg ? '' : '\n'}Parameters written to ${args.json}\n`)
  }
}

function write(io: CliIO, path: string, text: string): void {
  try {
    io.writeFile(path, text)
  } catch (e) {
    throw new FileError(`cannot write ${path}: ${(e as Error).message}`)
  }
}

function loadData(args: FitArgs, io: CliIO): { data: Matrix; columns: string[] | null; source: string } {
  if (args.file === null) {
    let rows: readonly (readonly number[])[] = faithful.rows
    let columns = [...faithful.columns]
    if (args.columns) {
      const idx = args.columns.map((c) => {
        const j = typeof c === 'number' ? c : columns.indexOf(c)
        if (j < 0 || j >= columns.length) throw new UsageError(`--columns: the Old Faithful data has columns ${columns.join(', ')} (or 1, 2), not '${typeof c === 'number' ? c + 1 : c}'`)
        return j
      })
      rows = rows.map((r) => idx.map((j) => r[j]!))
      columns = idx.map((j) => columns[j]!)
    }
    return { data: toMatrix(rows, 'faithful'), columns, source: 'Old Faithful (embedded)' }
  }
  const source = args.file === '-' ? 'standard input' : args.file
  let text: string
  try {
    text = io.readFile(args.file)
  } catch (e) {
    throw new FileError(`cannot read ${source}: ${(e as Error).message}`)
  }
  const parsed = parseCsv(text, args.columns ? { columns: args.columns } : {})
  return { data: toMatrix(parsed.matrix, source), columns: parsed.columns, source }
}

function bicTable(rows: readonly SelectionRow[], kValues: readonly number[], types: readonly CovarianceType[], best: { k: number; covarianceType: CovarianceType }): string {
  const notes: string[] = []
  const body = kValues.map((k) => [
    `K = ${k}`,
    ...types.map((t) => {
      const r = rows.find((x) => x.k === k && x.covarianceType === t)
      const mark = best.k === k && best.covarianceType === t ? '*' : ' '
      if (r?.bic != null) return `${r.bic.toFixed(2)}${mark}`
      if (r?.error) notes.push(`  K = ${k}, ${t}: ${r.status} (${r.error.code})`)
      return `${r?.status ?? '-'} `
    }),
  ])
  return table(['', ...types], body) + (notes.length > 0 ? `\nnot fitted:\n${notes.join('\n')}` : '')
}

function summary(gm: GaussianMixture, fitStats: { logLik: number; bic: number; aic: number }, columns: string[] | null, chosen: boolean): string {
  const d = gm.nFeatures
  const names = columns ?? Array.from({ length: d }, (_, j) => `x${j + 1}`)
  const lines = [
    `${chosen ? 'Chosen model' : 'Model'}: K = ${gm.nComponents}, covariance '${gm.covarianceType}'`,
    `  log-likelihood ${fmt(fitStats.logLik, 8)}   BIC ${fmt(fitStats.bic, 8)}   AIC ${fmt(fitStats.aic, 8)}   parameters ${gm.nParameters()}`,
    `  ${gm.status} after ${gm.nIter} iteration${gm.nIter === 1 ? '' : 's'}`,
    '',
  ]
  const body = gm.weights.map((w, c) => [String(c + 1), fmt(w, 5), ...gm.means[c]!.map((v) => fmt(v, 5))])
  lines.push(table(['component', 'weight', ...names.map((s) => `mean ${s}`)], body).split('\n').map((l) => '  ' + l).join('\n'))
  lines.push('')
  const full = gm.fullCovariances
  if (gm.covarianceType === 'tied') {
    lines.push('  covariance (tied: shared by every component)')
    lines.push(labeledMatrix(full[0]!, names, '    '))
  } else {
    lines.push(`  covariances${gm.covarianceType === 'full' ? '' : ` (${gm.covarianceType}: ${gm.covarianceType === 'diag' ? 'off-diagonal terms are 0' : 'one variance per component'})`}`)
    full.forEach((S, c) => {
      lines.push(`    component ${c + 1}`)
      lines.push(labeledMatrix(S, names, '      '))
    })
  }
  return lines.join('\n')
}

function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)))
}

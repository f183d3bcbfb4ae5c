/** Command-line parsing for `emkit`: flags with values, one optional positional file. */
import { BACKEND_NAMES, type BackendName } from '../kernels/types.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../models/gmm/covariance.js'

/** A mistake in how the command was called: reported with exit status 2. */
export class UsageError extends Error {}


export interface FitArgs {
  /** CSV path, '-' for standard input, or null for the embedded Old Faithful data. */
  readonly file: string | null
  readonly k: number | null
  readonly covariance: CovarianceType | null
  /** CSV columns to fit: header names, or 0-based indices (given 1-based on the command line). */
  readonly columns: (string | number)[] | null
  readonly json: string | null
  readonly svg: string | null
  readonly seed: number
  readonly maxIter: number
  readonly tol: number
  readonly nInit: number
  readonly regCovar: number | null
  readonly backend: BackendName
  readonly help: boolean
}

const VALUE_FLAGS = [
  '--k', '--covariance', '--columns', '--json', '--svg', '--seed', '--max-iter', '--tol', '--n-init', '--reg-covar', '--backend',
] as const

export function parseFitArgs(argv: readonly string[]): FitArgs {
  const values = new Map<string, string>()
  const positional: string[] = []
  let help = false
  let onlyPositional = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (onlyPositional) { positional.push(arg); continue }
    if (arg === '--') { onlyPositional = true; continue }
    if (arg === '--help' || arg === '-h') { help = true; continue }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(0, eq) : arg
      if (!(VALUE_FLAGS as readonly string[]).includes(name)) {
        const near = VALUE_FLAGS.find((f) => f.startsWith(name) || name.startsWith(f))
        throw new UsageError(`unknown option ${name}${near ? ` (did you mean ${near}?)` : ''}; see emkit --help`)
      }
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option ${name} needs a value; see emkit --help`)
      if (values.has(name)) throw new UsageError(`option ${name} is given twice`)
      values.set(name, value)
      continue
    }
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}; see emkit --help`)
    positional.push(arg)
  }
  if (positional.length > 1) throw new UsageError(`expected at most one CSV file, got ${positional.length}: ${positional.join(' ')}`)
  const get = (flag: string) => values.get(flag)
  return {
    file: positional[0] ?? null,
    k: values.has('--k') ? integer('--k', get('--k')!, 1) : null,
    covariance: values.has('--covariance') ? choice('--covariance', get('--covariance')!, COVARIANCE_TYPES) : null,
    columns: values.has('--columns') ? columnList(get('--columns')!) : null,
    json: values.has('--json') ? path('--json', get('--json')!) : null,
    svg: values.has('--svg') ? path('--svg', get('--svg')!) : null,
    seed: values.has('--seed') ? integer('--seed', get('--seed')!, 0) : 0,
    maxIter: values.has('--max-iter') ? integer('--max-iter', get('--max-iter')!, 1) : 200,
    tol: values.has('--tol') ? number('--tol', get('--tol')!) : 1e-6,
    nInit: values.has('--n-init') ? integer('--n-init', get('--n-init')!, 1) : 5,
    regCovar: values.has('--reg-covar') ? number('--reg-covar', get('--reg-covar')!) : null,
    backend: values.has('--backend') ? choice('--backend', get('--backend')!, BACKEND_NAMES) : 'wasm',
    help,
  }
}

function integer(flag: string, text: string, min: number): number {
  const v = text.trim() === '' ? NaN : Number(text)
  if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`${flag} takes an integer >= ${min}, got '${text}'`)
  return v
}

function number(flag: string, text: string): number {
  const v = text.trim() === '' ? NaN : Number(text)
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`${flag} takes a number >= 0, got '${text}'`)
  return v
}

function choice<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${text}'`)
  return text as T
}

function path(flag: string, text: string): string {
  if (text === '') throw new UsageError(`${flag} needs a file name`)
  return text
}

/** "eruptions,waiting" or "1,3" (1-based) -> names / 0-based indices. */
function columnList(text: string): (string | number)[] {
  const items = text.split(',').map((s) => s.trim())
  if (items.some((s) => s === '')) throw new UsageError(`--columns takes a comma-separated list of column names or 1-based numbers, got '${text}'`)
  return items.map((s) => {
    if (!/^\d+$/.test(s)) return s
    const j = Number(s)
    if (j < 1) throw new UsageError(`--columns numbers columns from 1, got '${s}'`)
    return j - 1
  })
}

export const HELP = `emkit: Gaussian mixtures fitted by EM (scikit-learn's semantics, WebAssembly speed)

Usage:
  emkit fit [file.csv | -] [options]
  emkit --help

Without a file, fits the embedded Old Faithful data (R datasets::faithful: 272
eruptions, columns eruptions and waiting, in minutes); '-' reads the CSV from
standard input. A CSV may have a header row (detected); the delimiter (, ; or tab)
is detected; quoted fields and blank lines are fine. Every fitted column must be
numeric: a text column is an error naming it (drop it, encode it, or pick the
numeric columns with --columns).

Without --k and --covariance, emkit fits K = 1..6 x the four covariance types, prints
the BIC table (scikit-learn's sign: -2 log-likelihood + parameters x log n, smaller
is better; * marks the best) and keeps the model with the smallest BIC. Either flag
fixes that dimension of the search; both fit one model.
Then it prints the model: K, covariance type, weights, means, covariances,
log-likelihood, BIC, AIC, iterations and status.

Options:
  --k N              number of components (default: chosen by BIC over 1..6)
  --covariance T     full | diag | spherical | tied (default: chosen by BIC)
  --columns LIST     CSV columns to fit, by header name or 1-based number,
                     comma-separated (default: all)
  --svg FILE         write a plot: points coloured by component, 1- and 2-sigma
                     ellipses, means, and the log-likelihood per iteration
  --json FILE        write the fitted parameters and the BIC table as JSON
  --seed N           seed of the random starts (default 0)
  --n-init N         k-means++ starts per model, the best kept (default 5)
  --max-iter N       EM iterations per start (default 200)
  --tol X            stop when the mean log-likelihood per row changes by less
                     than X (default 1e-6)
  --reg-covar X      added to covariance diagonals (default 1e-6)
  --backend B        wasm | wasm-scalar | js (default wasm: SIMD where supported)
  -h, --help         this text

Examples:
  emkit fit                                  # Old Faithful, K and covariance by BIC
  emkit fit --k 2 --covariance full --svg faithful.svg
  emkit fit iris.csv --columns 1,2,3,4 --json iris-gmm.json

Exit status: 0 on success, 1 when the data or the fit fail (message and error
code on stderr), 2 for a usage error.
`

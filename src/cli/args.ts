/** Command-line parsing for `emkit`: flags with values, one optional positional file. */

export class UsageError extends Error {}

export interface FitArgs {
  readonly file: string | null
  readonly k: number | null
  readonly covariance: string | null
  readonly json: string | null
  readonly svg: string | null
  readonly seed: number
  readonly maxIter: number
  readonly tol: number
  readonly nInit: number
  readonly backend: string
  readonly help: boolean
}

const VALUE_FLAGS = ['--k', '--covariance', '--json', '--svg', '--seed', '--max-iter', '--tol', '--n-init', '--backend'] as const

export function parseFitArgs(argv: readonly string[]): FitArgs {
  const values = new Map<string, string>()
  const positional: string[] = []
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--help' || arg === '-h') { help = true; continue }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(0, eq) : arg
      if (!(VALUE_FLAGS as readonly string[]).includes(name)) throw new UsageError(`unknown option ${name} (see emkit --help)`)
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option ${name} needs a value`)
      values.set(name, value)
      continue
    }
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} (see emkit --help)`)
    positional.push(arg)
  }
  if (positional.length > 1) throw new UsageError(`expected at most one CSV file, got ${positional.length}: ${positional.join(' ')}`)
  return {
    file: positional[0] ?? null,
    k: values.has('--k') ? integer('--k', values.get('--k')!, 1) : null,
    covariance: values.get('--covariance') ?? null,
    json: values.get('--json') ?? null,
    svg: values.get('--svg') ?? null,
    seed: values.has('--seed') ? integer('--seed', values.get('--seed')!, 0) : 0,
    maxIter: values.has('--max-iter') ? integer('--max-iter', values.get('--max-iter')!, 1) : 200,
    tol: values.has('--tol') ? number('--tol', values.get('--tol')!) : 1e-6,
    nInit: values.has('--n-init') ? integer('--n-init', values.get('--n-init')!, 1) : 5,
    backend: values.get('--backend') ?? 'wasm',
    help,
  }
}

function integer(flag: string, text: string, min: number): number {
  const v = Number(text)
  if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`${flag} takes an integer >= ${min}, got '${text}'`)
  return v
}

function number(flag: string, text: string): number {
  const v = Number(text)
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`${flag} takes a number >= 0, got '${text}'`)
  return v
}

export const HELP = `emkit: Gaussian mixtures fitted by EM (scikit-learn's semantics, WebAssembly speed)

Usage:
  emkit fit [file.csv] [options]
  emkit --help

Without a file, fits the embedded Old Faithful data (272 eruptions: duration, waiting).
A CSV may have a header row (detected); every column must be numeric (a text column
is an error naming it: drop or encode it first). Delimiters , ; and tab are detected.

Without --k and --covariance, emkit fits K = 1..6 x the four covariance types, prints
the BIC table (scikit-learn's sign: smaller is better; * marks the best) and keeps the
model with the smallest BIC. Either flag fixes that dimension of the search.

Options:
  --k N              number of components (default: chosen by BIC over 1..6)
  --covariance T     full | diag | spherical | tied (default: chosen by BIC)
  --svg FILE         write a plot: points, component ellipses, log-likelihood trace
  --json FILE        write the fitted parameters and the BIC table as JSON
  --seed N           seed of the random starts (default 0)
  --n-init N         random restarts per model, best kept (default 5)
  --max-iter N       EM iterations per restart (default 200)
  --tol X            stop when the mean log-likelihood changes by less (default 1e-6)
  --backend B        wasm | wasm-scalar | js (default wasm: SIMD where supported)
  -h, --help         this text

Exit status: 0 on success, 1 when the data or the fit fail (message and code on
stderr), 2 for a usage error.
`

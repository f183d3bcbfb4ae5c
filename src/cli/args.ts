/** Command-line parsing for `emkit` (node:util's parseArgs), with messages that say what to type instead. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { closest, editDistance } from '../core/options.js'
import { BACKEND_NAMES, type BackendName } from '../kernels/types.js'
import { GMM_COVARIANCE_TYPES, type GmmCovarianceType, MCLUST_MODELS } from '../models/gmm/mclust/index.js'
export { HELP } from './help.js'

/** A mistake in how the command was called: reported with exit status 2. */
export class UsageError extends Error {}

export type Command = 'fit' | 'hmm'

export interface FitArgs {
  readonly command: Command
  /** CSV path, '-' for standard input, or null for the embedded Old Faithful data. */
  readonly file: string | null
  /** Component (state) counts to try: one value fits that K; several are searched by the criterion. */
  readonly k: readonly number[] | null
  readonly covariance: GmmCovarianceType | null
  /** --models: the covariance models a search tries (mclust's names or scikit-learn's; 'all' = mclust's 14). */
  readonly models: readonly GmmCovarianceType[] | null
  /** CSV columns to fit: header names, or 0-based indices (given 1-based on the command line). */
  readonly columns: (string | number)[] | null
  /** What picks the model in a search: 'bic' (default) or mclust's 'icl'. */
  readonly criterion: 'bic' | 'icl'
  readonly json: string | null
  readonly svg: string | null
  readonly bicSvg: string | null
  /** Write each row's label, probabilities and uncertainty here. */
  readonly labels: string | null
  /** Save the fitted model (toJSON) here. */
  readonly save: string | null
  /** Read a saved model from here instead of fitting (with `predict`). */
  readonly model: string | null
  readonly predict: boolean
  /** Print standard errors of the fitted model's parameters (fit only), by this method; null: none. */
  readonly se: 'louis' | 'sem' | 'hessian' | null
  readonly seed: number
  readonly maxIter: number
  readonly tol: number
  readonly nInit: number
  readonly regCovar: number | null
  readonly backend: BackendName
  readonly quiet: boolean
  readonly help: boolean
  /** Exact EM re-reading the file each iteration (a file larger than memory). */
  readonly stream: boolean
  /** One pass of online EM over the file. */
  readonly online: boolean
  /** Rows per chunk with --stream / --online. */
  readonly chunkRows: number | null
}

const OPTIONS = {
  'k': { type: 'string' },
  'covariance': { type: 'string' },
  'models': { type: 'string' },
  'columns': { type: 'string' },
  'criterion': { type: 'string' },
  'json': { type: 'string' },
  'svg': { type: 'string' },
  'bic-svg': { type: 'string' },
  'labels': { type: 'string' },
  'save': { type: 'string' },
  'model': { type: 'string' },
  'predict': { type: 'boolean' },
  'se': { type: 'boolean' },
  'se-method': { type: 'string' },
  'seed': { type: 'string' },
  'max-iter': { type: 'string' },
  'tol': { type: 'string' },
  'n-init': { type: 'string' },
  'reg-covar': { type: 'string' },
  'backend': { type: 'string' },
  'quiet': { type: 'boolean', short: 'q' },
  'help': { type: 'boolean', short: 'h' },
  'stream': { type: 'boolean' },
  'online': { type: 'boolean' },
  'chunk-rows': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }

/** The largest K a range may name: more is a typo, not a search. */
const MAX_K = 1000

/** `argv` after the command name. */
export function parseFitArgs(argv: readonly string[], command: Command = 'fit'): FitArgs {
  const { values: v, positionals } = parse(argv)
  if (positionals.length > 1) throw new UsageError(`expected at most one CSV file, got ${positionals.length}: ${positionals.join(' ')}`)
  const defaults = command === 'hmm' ? { tol: 1e-4, maxIter: 100 } : { tol: 1e-6, maxIter: 200 }
  const args: FitArgs = {
    command,
    file: positionals[0] ?? null,
    k: v.k !== undefined ? kList(v.k) : null,
    covariance: v.covariance !== undefined ? choice('--covariance', v.covariance, GMM_COVARIANCE_TYPES) : null,
    models: v.models !== undefined ? modelList(v.models) : null,
    columns: v.columns !== undefined ? columnList(v.columns) : null,
    criterion: v.criterion !== undefined ? choice('--criterion', v.criterion, ['bic', 'icl'] as const) : 'bic',
    json: path('--json', v.json),
    svg: path('--svg', v.svg),
    bicSvg: path('--bic-svg', v['bic-svg']),
    labels: path('--labels', v.labels),
    save: path('--save', v.save),
    model: path('--model', v.model),
    predict: v.predict ?? false,
    se: v['se-method'] !== undefined ? choice('--se-method', v['se-method'], ['sem', 'hessian', 'louis'] as const) : v.se ? 'sem' : null,
    seed: v.seed !== undefined ? integer('--seed', v.seed, 0) : 0,
    maxIter: v['max-iter'] !== undefined ? integer('--max-iter', v['max-iter'], 1) : defaults.maxIter,
    tol: v.tol !== undefined ? number('--tol', v.tol) : defaults.tol,
    nInit: v['n-init'] !== undefined ? integer('--n-init', v['n-init'], 1) : 5,
    regCovar: v['reg-covar'] !== undefined ? number('--reg-covar', v['reg-covar']) : null,
    backend: v.backend !== undefined ? choice('--backend', v.backend, BACKEND_NAMES) : 'wasm',
    quiet: v.quiet ?? false,
    help: v.help ?? false,
    stream: v.stream ?? false,
    online: v.online ?? false,
    chunkRows: v['chunk-rows'] !== undefined ? integer('--chunk-rows', v['chunk-rows'], 1) : null,
  }
  if (args.help) return args
  checkCombinations(args)
  checkStreaming(args)
  return args
}

function parse(argv: readonly string[]): { values: Values; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true; tokens: true }>>
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true })
  } catch (e) {
    throw usageOf(e as Error & { code?: string })
  }
  // parseArgs keeps the last of a repeated option; a repeat is more likely a mistake.
  const seen = new Set<string>()
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue
    if (seen.has(t.name)) throw new UsageError(`option --${t.name} is given twice`)
    seen.add(t.name)
  }
  return { values: parsed.values as Values, positionals: parsed.positionals }
}

/** parseArgs' errors, reworded with the option at fault and the nearest known name. */
function usageOf(e: Error & { code?: string }): UsageError {
  // "Option '-q, --quiet' does not take an argument": the long name when there is one.
  const quoted = /'(-[^']*)'/.exec(e.message)?.[1] ?? ''
  const name = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0]!
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = nearest(name)
      return new UsageError(`unknown option ${name}${near ? ` (did you mean ${near}?)` : ''}; see emkit --help`)
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return OPTIONS[name.replace(/^-+/, '') as keyof typeof OPTIONS]?.type === 'boolean'
        ? new UsageError(`option ${name} takes no value; see emkit --help`)
        : new UsageError(`option ${name} needs a value (a value starting with '-' goes as ${name}=-...); see emkit --help`)
    default:
      return new UsageError(`${e.message}; see emkit --help`)
  }
}

function nearest(given: string): string | null {
  const bare = given.replace(/^-+/, '')
  if (bare === '') return null
  const names = Object.keys(OPTIONS)
  const hit = names.find((f) => f.startsWith(bare) || bare.startsWith(f)) ?? names.find((f) => editDistance(f, bare) <= 2)
  return hit ? `--${hit}` : null
}

/** Options that only make sense together (or apart). */
function checkCombinations(a: FitArgs): void {
  if (a.models !== null && a.covariance !== null) throw new UsageError('--models and --covariance both name covariance types: give one (--models EEE,VVV searches several, --covariance fits one)')
  if (a.models !== null && a.command === 'hmm') throw new UsageError("--models is the mixture's search over mclust's models; hmm takes --covariance full | diag | spherical | tied")
  if (a.predict && a.model === null) throw new UsageError('--predict needs --model FILE (a model saved with --save)')
  if (a.model !== null && !a.predict) throw new UsageError('--model reads a saved model to label new data: add --predict (emkit does not refit a loaded model)')
  if (a.predict) {
    const fitOnly = (['k', 'covariance', 'models', 'save', 'bicSvg'] as const).filter((key) => a[key] !== null)
    if (fitOnly.length > 0) throw new UsageError(`--predict uses the saved model as it is: drop ${fitOnly.map(flagOf).join(', ')}`)
  }
  if (a.se !== null && a.command !== 'fit') throw new UsageError('--se gives standard errors of a Gaussian mixture: use it with emkit fit')
  if (a.se !== null && a.predict) throw new UsageError('--se needs a fit on the training data: drop --predict (a saved model keeps no data)')
  if (a.bicSvg !== null && a.k !== null && a.k.length === 1 && (a.covariance !== null || a.command === 'hmm')) {
    throw new UsageError('--bic-svg draws the criterion of a search: give --k a range (e.g. --k 1-6) or leave --covariance out')
  }
}

/** --stream and --online: one model (no search), of a CSV file, by the fit command; --chunk-rows only with them. */
function checkStreaming(a: FitArgs): void {
  if (!a.stream && !a.online) {
    if (a.chunkRows !== null) throw new UsageError('--chunk-rows sets the chunks of --stream or --online: add one of them')
    return
  }
  const flag = a.stream ? '--stream' : '--online'
  if (a.stream && a.online) throw new UsageError('--stream (exact EM, the file read once per iteration) and --online (one pass of online EM) exclude each other: choose one')
  if (a.command !== 'fit') throw new UsageError(`${flag} fits a Gaussian mixture: use it with emkit fit`)
  if (a.file === null) throw new UsageError(`${flag} reads a CSV file as it streams: give the file (the embedded data fit in memory)`)
  if (a.stream && a.file === '-') throw new UsageError('--stream reads the file again at every iteration, which standard input cannot do: give a file path, or use --online for one pass')
  if (a.k === null || a.k.length !== 1) throw new UsageError(`${flag} fits one model: give --k one number (a search would read the file once per model and iteration)`)
  if (a.predict) throw new UsageError(`--predict labels with a saved model: drop ${flag}`)
  if (a.models !== null && a.models.length !== 1) throw new UsageError(`${flag} fits one model: give --models one name (or --covariance)`)
  if (a.se !== null) throw new UsageError(`--se computes the observed information on every row in memory: drop it with ${flag}`)
  const inMemory = (['svg', 'bicSvg', 'labels'] as const).filter((key) => a[key] !== null)
  if (inMemory.length > 0) throw new UsageError(`${inMemory.map(flagOf).join(', ')} need${inMemory.length === 1 ? 's' : ''} every row in memory: drop ${inMemory.length === 1 ? 'it' : 'them'} with ${flag}`)
}

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
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

/** "EEE,VVV,VEV" (mclust's names or scikit-learn's, any case) or "all" (mclust's 14) -> distinct names in the order given. */
export function modelList(text: string): GmmCovarianceType[] {
  if (text.trim().toLowerCase() === 'all') return [...MCLUST_MODELS]
  const out: GmmCovarianceType[] = []
  for (const raw of text.split(',')) {
    const word = raw.trim()
    const name = (/^[EVI]{3}$/i.test(word) ? word.toUpperCase() : word.toLowerCase()) as GmmCovarianceType
    if (!GMM_COVARIANCE_TYPES.includes(name)) {
      const near = [...GMM_COVARIANCE_TYPES].sort((a, b) => editDistance(word.toUpperCase(), a.toUpperCase()) - editDistance(word.toUpperCase(), b.toUpperCase()))[0]!
      throw new UsageError(`--models: '${word}' is not a covariance model (mclust's ${MCLUST_MODELS.join(', ')}, scikit-learn's full, diag, spherical, tied, or all)${editDistance(word.toUpperCase(), near.toUpperCase()) <= 2 ? `; did you mean '${near}'?` : ''}`)
    }
    if (!out.includes(name)) out.push(name)
  }
  return out
}

function choice<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    const near = closest(text, allowed)
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${text}'${near ? ` (did you mean ${near}?)` : ''}`)
  }
  return text as T
}

function path(flag: string, text: string | undefined): string | null {
  if (text === undefined) return null
  if (text === '') throw new UsageError(`${flag} needs a file name`)
  return text
}

/** "3", "1-9" or "2,3,5" (ranges and lists mix: "1-3,6") -> distinct K values in the order given. */
export function kList(text: string): number[] {
  const bad = (why: string) => new UsageError(`--k takes a number, a range or a list (3, 1-9, 2,3,5), got '${text}': ${why}`)
  const out: number[] = []
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part)
    if (!m) throw bad(part.trim() === '' ? 'an empty item' : `'${part.trim()}' is not a whole number or a range`)
    const lo = Number(m[1]), hi = m[2] === undefined ? lo : Number(m[2])
    if (lo < 1) throw bad('K starts at 1')
    if (hi < lo) throw bad(`the range ${lo}-${hi} runs backwards`)
    if (hi > MAX_K) throw bad(`K up to ${MAX_K}`)
    for (let k = lo; k <= hi; k++) if (!out.includes(k)) out.push(k)
  }
  return out
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


/**
 * fitEM, bootstrap, selectModel and registerKind given bad arguments: typed errors
 * naming the argument, the value given and the remedy, never a TypeError from inside.
 */
import {
  bootstrap, fitEM, fromArrow, fromCsvStream, fromDuckDB, fromParquet, GaussianHMM, GaussianMixture, gmmSvg, hmmSvg, InputError, OptionError, readCsv,
  registerKind, scatterMatrixSvg, selectModel, UnsupportedError,
} from '../../src/index.js'
import { type Case, catalog, X } from './catalog.js'

/** A one-parameter model whose EM converges at once: enough to reach fitEM's checks. */
const toy = {
  name: 'toy',
  eStep: () => ({ stats: new Float64Array([1]), logLik: -1 }),
  mStep: (_s: Float64Array, p: { a: number }) => p,
  logLik: () => -1,
  nParameters: () => 1,
  pack: (p: { a: number }) => Float64Array.of(p.a),
  unpack: (v: Float64Array) => ({ a: v[0]! }),
  isValid: () => true,
}
const data = { totalWeight: 10 }
const start = { a: 1 }
const run = (model: unknown, d: unknown, options?: unknown) => () => fitEM(model as never, d as never, start as never, options as never)
const opt = (name: string, r: () => unknown, message: RegExp): Case => ({ name, run: r, error: OptionError, code: 'INVALID_OPTION', message })

catalog('fitEM', [
  { name: 'a model without eStep', run: run({ ...toy, eStep: undefined }, data), error: UnsupportedError, code: 'UNSUPPORTED', message: /The model 'toy' has no eStep\(\): fitEM needs logLik\(\), eStep\(\), mStep\(\) \(see the EMModel interface\), or a stepper for other algorithms/ },
  { name: 'an empty object as model', run: run({}, data), error: UnsupportedError, code: 'UNSUPPORTED', message: /The model given has no logLik\(\), eStep\(\), mStep\(\)/ },
  { name: 'a null model', run: run(null, data), error: UnsupportedError, code: 'UNSUPPORTED', message: /fitEM needs a model object with logLik\(\), eStep\(\), mStep\(\) \(the EM model interface\), got null/ },
  { name: "criterion 'parameters' without pack", run: run({ ...toy, pack: undefined }, data, { criterion: 'parameters' }), error: UnsupportedError, code: 'UNSUPPORTED', message: /has no pack\(\)/ },
  { name: 'null data', run: run(toy, null), error: InputError, code: 'INVALID_DATA', message: /fitEM needs the model's prepared data \(an object with totalWeight\), got null/ },
  { name: 'totalWeight 0', run: run(toy, { totalWeight: 0 }), error: InputError, code: 'EMPTY_DATA', message: /data\.totalWeight is 0: every row has weight 0, so there is nothing to fit; give rows with a positive weight/ },
  { name: 'totalWeight NaN', run: run(toy, { totalWeight: NaN }), error: InputError, code: 'INVALID_DATA', message: /data\.totalWeight is NaN; prepared data must give its total weight/ },
  { name: 'totalWeight missing', run: run(toy, {}), error: InputError, code: 'INVALID_DATA', message: /data\.totalWeight is undefined/ },
  { name: 'totalWeight "10"', run: run(toy, { totalWeight: '10' }), error: InputError, code: 'INVALID_DATA', message: /data\.totalWeight is "10"/ },
  opt('options null', run(toy, data, null), /'fitEM options': must be an object of options \(or left out\), got null/),
  opt('options a number', run(toy, data, 3), /'fitEM options': must be an object of options \(or left out\), got 3/),
  opt('options an AbortController', run(toy, data, new AbortController()), /got an AbortController \(pass it as \{ signal: controller\.signal \}\)/),
  opt("option 'maxIters'", run(toy, data, { maxIters: 3 }), /fitEM\(\) has no option 'maxIters'; did you mean 'maxIter'\?/),
  opt('tol "1e-3"', run(toy, data, { tol: '1e-3' }), /'tol': must be a number >= 0, got "1e-3"/),
  opt('tol NaN', run(toy, data, { tol: NaN }), /'tol': must be a number >= 0, got NaN/),
  opt('maxIter 1.5', run(toy, data, { maxIter: 1.5 }), /'maxIter': must be an integer >= 0, got 1\.5/),
  opt("criterion 'objectiv'", run(toy, data, { criterion: 'objectiv' }), /'criterion': must be 'objective', 'parameters' or 'relative', got "objectiv"/),
  opt('onIteration a number', run(toy, data, { onIteration: 3 }), /'onIteration': must be a function, got 3/),
  opt('signal an AbortController', run(toy, data, { signal: new AbortController() }), /pass its \.signal\), got an AbortController/),
  opt('stepper a number', run(toy, data, { stepper: 3 }), /'stepper': must be a stepper \{ step\(data, params, rule\) \} \(e\.g\. from makeStepper\), got 3/),
  opt('previousObjective "0"', run(toy, data, { previousObjective: '0' }), /'previousObjective': must be a number, got "0"/),
])

const make = () => new GaussianMixture({ nComponents: 1 })
const boot = (m: unknown, x: unknown, options?: unknown) => () => bootstrap(m as never, x as never, options as never)

catalog('bootstrap', [
  opt('options null', boot(make, X, null), /'bootstrap options': must be an object of options \(or left out\), got null/),
  opt('options a number', boot(make, X, 3), /'bootstrap options': must be an object of options \(or left out\), got 3/),
  opt("option 'replicate'", boot(make, X, { replicate: 3 }), /bootstrap\(\) has no option 'replicate'; did you mean 'replicates'\?/),
  opt('replicates 1e12 (refused before allocating)', boot(make, X, { replicates: 1e12 }), /'replicates': is 1000000000000; at most 1000000 replicates are run .*use fewer/),
  opt('replicates 1', boot(make, X, { replicates: 1 }), /'replicates': must be an integer >= 2, got 1/),
  opt('level "0.9"', boot(make, X, { level: '0.9', replicates: 2 }), /'level': must be a number in \(0, 1\), e\.g\. 0\.95, got "0\.9"/),
  opt('level NaN', boot(make, X, { level: NaN, replicates: 2 }), /got NaN/),
  opt("kind 'parametrc'", boot(make, X, { kind: 'parametrc', replicates: 2 }), /'kind': must be one of 'nonparametric', 'parametric', got "parametrc" \(did you mean 'parametric'\?\)/),
  opt('seed 1.5', boot(make, X, { seed: 1.5, replicates: 2 }), /'seed': must be an integer, got 1\.5/),
  opt('workers 0', boot(make, X, { workers: 0, replicates: 2 }), /'workers': must be 'auto' or an integer >= 1 \(1 = serial\), got 0/),
  opt('makeEstimator an estimator, not a function', boot(make(), X, { replicates: 2 }), /'makeEstimator': must be a function returning a new, unfitted estimator .*got a GaussianMixture/),
  { name: 'makeEstimator returns a plain object', run: boot(() => ({}), X, { replicates: 2 }), error: UnsupportedError, code: 'UNSUPPORTED', message: /cannot be described for workers: it needs a toSpec\(\) method/ },
  { name: 'data null', run: boot(make, null, { replicates: 2 }), error: InputError, code: 'INVALID_DATA', message: /X must be a 2-D array .*got null/ },
  opt("data field 'weights'", boot(make, { X, weights: X.map(() => 1) }, { replicates: 2 }), /'weights': is not a data field .*did you mean 'sampleWeight'\?/),
  opt("data field 'length' for an HMM", boot(() => new GaussianHMM(), { X, length: [30] }, { replicates: 2 }), /'length': is not a data field .*did you mean 'lengths'\?/),
  { name: 'X of BigInts', run: boot(make, X.map((r) => r.map((v) => BigInt(Math.round(v)))), { replicates: 2 }), error: InputError, code: 'INVALID_DATA', message: /X\[0\]\[0\] is \d+n, a BigInt: convert it with Number/ },
  { name: 'sampleWeight of BigInts', run: boot(make, { X, sampleWeight: X.map(() => 1n) }, { replicates: 2 }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight\[0\] is 1n, a BigInt/ },
  { name: 'sampleWeight a string', run: boot(make, { X, sampleWeight: 'heavy' }, { replicates: 2 }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight must be an array with one value per row of X, got "heavy"/ },
  { name: 'lengths of BigInts', run: boot(() => new GaussianHMM(), { X, lengths: [10n, 20n] }, { replicates: 2 }), error: InputError, code: 'INVALID_DATA', message: /lengths\[0\] is 10n, a BigInt/ },
])

const select = (options: unknown, m: unknown = make) => () => selectModel(m as never, X, options as never)
const grid = { nComponents: [1, 2] }

catalog('selectModel', [
  opt('options null', select(null), /'options': must be an object with at least a grid, .*got null/),
  opt('options an array', select([grid]), /'options': must be an object with at least a grid/),
  opt("option 'grids'", select({ grids: grid }), /'grids': is not a selectModel option .*did you mean 'grid'\?/),
  opt('no grid', select({}), /'grid': is required/),
  opt('grid values not a list', select({ grid: { nComponents: 2 } }), /'grid\.nComponents': must be a list of the values to try, got 2; write \{ nComponents: \[2\] \} for a single value/),
  opt('a grid key the estimator lacks', select({ grid: { nComponent: [1, 2] } }), /GaussianMixture has no option 'nComponent'; did you mean 'nComponents'\?/),
  opt('a grid value the estimator refuses', select({ grid: { nComponents: [1, '2'] } }), /'nComponents': must be an integer >= 1, got "2"/),
  opt("criterion 'BIC'", select({ grid, criterion: 'BIC' }), /'criterion': must be 'bic', 'aic' or 'icl', got "BIC"/),
  opt('onFit a number', select({ grid, onFit: 3 }), /'onFit': must be a function \(row, index, total\) => void, got 3/),
  opt('fitOptions null', select({ grid, fitOptions: null }), /'fitOptions': must be an object \{ signal, onIteration \} \(or left out\), got null/),
  opt('fitOptions.sampleWeight (data go with X)', select({ grid, fitOptions: { sampleWeight: X.map(() => 1) } }), /'fitOptions\.sampleWeight': is data: give it with X/),
  opt('fitOptions.signal an AbortController', select({ grid, fitOptions: { signal: new AbortController() } }), /pass its \.signal\), got an AbortController/),
  opt('make not a function', select({ grid }, make()), /'make': must be a function returning a new, unfitted estimator/),
  { name: 'make returns null', run: select({ grid }, () => null), error: UnsupportedError, code: 'UNSUPPORTED', message: /selectModel needs an estimator with setParams\(options\)/ },
])

class Mine {
  toSpec() { return { kind: 'Mine', options: {} } }
}
const kindOf = { create: () => new Mine(), vector: () => ({ values: new Float64Array(0), names: [] }) }
const reg = (name: unknown, kind: unknown, options?: unknown) => () => registerKind(name as never, kind as never, options as never)

catalog('registerKind', [
  opt('a name that is not a string', reg(3, kindOf), /'name': must be a non-empty string \(the estimator's static kind\), got 3/),
  opt('an empty name', reg('', kindOf), /'name': must be a non-empty string/),
  opt("one of emkit's own names", reg('GaussianMixture', kindOf), /'name': 'GaussianMixture' is one of emkit's own kinds; give your estimator another static kind/),
  opt('a kind that is null', reg('Mine', null), /'kind': must be an object \{ create\(options\), vector\(estimator\), \.\.\. \}, got null/),
  opt('a kind without create', reg('Mine', { vector: kindOf.vector }), /'kind\.create': must be a function \(see EstimatorKind\), got undefined/),
  opt('a kind whose simulate is not a function', reg('Mine', { ...kindOf, simulate: 'yes' }), /'kind\.simulate': must be a function or left out, got "yes"/),
  opt('module a number', reg('Mine', kindOf, { module: 3 }), /'module': must be the URL of the module that registers the kind \(import\.meta\.url\), got 3/),
  opt("option 'modul'", reg('Mine', kindOf, { modul: 'x' }), /registerKind\(\) has no option 'modul'; did you mean 'module'\?/),
  { name: 'a kind nobody registered, in the bootstrap', run: boot(() => ({ toSpec: () => ({ kind: 'Nobody', options: {} }) }), X, { replicates: 2 }), error: UnsupportedError, code: 'UNSUPPORTED', message: /No estimator kind 'Nobody' is registered .*register it with registerKind\('Nobody', \{ create, vector \}, \{ module: import\.meta\.url \}\)/ },
])

/** Read every chunk of a reader's stream. */
const drain = (stream: AsyncIterable<unknown>) => async () => { for await (const _ of stream) { /* read */ } }
const input = (name: string, run: () => unknown, message: RegExp): Case => ({ name, run, error: InputError, code: 'INVALID_DATA', message })

catalog('readers and plots given what they cannot read: typed errors naming the argument and the value', [
  input('fromCsvStream(null)', drain(fromCsvStream(null as never)), /fromCsvStream needs the CSV as an iterable or async iterable of text or bytes \(e\.g\. fs\.createReadStream\(path\)\), got null/),
  input('fromCsvStream(3)', drain(fromCsvStream(3 as never)), /fromCsvStream needs the CSV as an iterable .*, got 3/),
  input('readCsv(null)', () => readCsv(null as never), /readCsv needs the CSV as text, or an iterable or async iterable of text pieces, got null/),
  input('fromParquet(3)', drain(fromParquet(3 as never)), /fromParquet needs a file path, an ArrayBuffer or an AsyncBuffer \{ byteLength, slice \} .*, got 3\./),
  input('fromParquet(null)', drain(fromParquet(null as never)), /fromParquet needs a file path, an ArrayBuffer or an AsyncBuffer .*, got null/),
  input('fromArrow(3)', drain(fromArrow(3 as never)), /fromArrow needs Arrow IPC bytes \(a Uint8Array\), an iterable or async iterable of byte pieces, or an apache-arrow Table, got 3/),
  input('fromArrow(null)', drain(fromArrow(null as never)), /fromArrow needs Arrow IPC bytes .*, got null/),
  input('fromDuckDB() without a query', drain(fromDuckDB(undefined as never)), /fromDuckDB needs the SQL query as a non-empty string, got undefined/),
  input("fromDuckDB('')", drain(fromDuckDB('')), /fromDuckDB needs the SQL query as a non-empty string, got ""/),
  input('gmmSvg(null)', () => gmmSvg(null as never), /gmmSvg needs an object \{ points, weights, means, covariances, \.\.\. \}, got null/),
  input('hmmSvg(null)', () => hmmSvg(null as never), /hmmSvg needs an object \{ series, states, \.\.\. \}, got null/),
  input('scatterMatrixSvg(3)', () => scatterMatrixSvg(3 as never), /scatterMatrixSvg needs an object \{ points, \.\.\. \}, got 3/),
])

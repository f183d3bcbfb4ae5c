/**
 * Right diagnoses: data at 1e300 (or varying only at 1e-300) are 'values too large /
 * too small: rescale', not a singular covariance, a constant column or a rank-deficient
 * design; nu out of range has one code whatever the side; a flat { data, rows, cols }
 * is checked entry by entry as rows are; messages show values as given (strings
 * quoted, NaN as NaN).
 */
import { describe, expect, it } from 'vitest'
import {
  BayesianGaussianMixture, FactorAnalysis, GaussianHMM, GaussianMixture, GMMHMM, InputError, LogisticGLMM, MultivariateNormal, MultivariateT,
  OptionError, PoissonMixture, ProbitRegression, TMixture, TobitRegression,
} from '../../src/index.js'
import { type Case, catalog, groups, X, y, yBinary } from './catalog.js'

const scaled = (f: number): number[][] => X.map((r) => r.map((v) => v * f))
const continuous: readonly [string, (x: number[][]) => Promise<unknown>][] = [
  ['GaussianMixture', (x) => new GaussianMixture({ nComponents: 2 }).fit(x)],
  ['BayesianGaussianMixture', (x) => new BayesianGaussianMixture({ nComponents: 2 }).fit(x)],
  ['TMixture', (x) => new TMixture({ nComponents: 2 }).fit(x)],
  ['MultivariateT', (x) => new MultivariateT().fit(x)],
  ['FactorAnalysis', (x) => new FactorAnalysis().fit(x)],
  ['MultivariateNormal', (x) => new MultivariateNormal().fit(x)],
  ['GaussianHMM', (x) => new GaussianHMM().fit(x)],
  ['GMMHMM', (x) => new GMMHMM().fit(x)],
  ['TobitRegression', (x) => new TobitRegression().fit(x, yBinary)],
  ['ProbitRegression', (x) => new ProbitRegression().fit(x, yBinary)],
  ['LogisticGLMM', (x) => new LogisticGLMM({ maxIter: 1 }).fit(x, yBinary, { groups })],
]

catalog('data too large or too small to square are refused as such, with the remedy', [
  ...continuous.map(([name, fit]): Case => ({
    name: `${name}: X at 1e300`, run: () => fit(scaled(1e300)), error: InputError, code: 'INVALID_DATA',
    message: /X\[\d+\]\[(\d+)\] is -?\d(\.\d+)?e\+300: values too large \(the squares of column \1 of X sum beyond double precision\); rescale X, e\.g\. divide column \1 of X by its largest absolute value/,
  })),
  ...continuous.map(([name, fit]): Case => ({
    name: `${name}: X varying at 1e-300`, run: () => fit(scaled(1e-300)), error: InputError, code: 'INVALID_DATA',
    message: /Column \d of X varies only by \d(\.\d+)?e-\d+: values too small \(their squared deviations underflow double precision\); rescale X/,
  })),
  { name: 'TobitRegression: y at 1e300', run: () => new TobitRegression().fit(X, X.map((r) => r[0]! * 1e300)), error: InputError, code: 'INVALID_DATA', message: /y\[\d+\] is -?\d(\.\d+)?e\+300: values too large \(the squares of y sum beyond double precision\); rescale y/ },
])

describe('the scale check leaves ordinary and merely large data alone', () => {
  it('1e150 fits where its squares still sum (GaussianMixture, MultivariateT)', async () => {
    expect((await new GaussianMixture({ nComponents: 2 }).fit(scaled(1e150))).converged).toBe(true)
    expect(Number.isFinite((await new MultivariateT().fit(scaled(1e150))).logLik)).toBe(true)
  })
  it('1e100 fits (GaussianMixture, FactorAnalysis, TobitRegression)', async () => {
    expect((await new GaussianMixture({ nComponents: 2 }).fit(scaled(1e100))).converged).toBe(true)
    expect(Number.isFinite((await new FactorAnalysis().fit(scaled(1e100))).logLik)).toBe(true)
    expect(Number.isFinite((await new TobitRegression().fit(scaled(1e100), y.map((v) => v * 1e100))).scale)).toBe(true)
  })
  it('scoring calls take far points (no scale check outside fit)', async () => {
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(X)
    expect(gm.predict([[1e300, 0, 0]])).toHaveLength(1)
  })
})

catalog('nu out of range: one code, both sides, with what to do', [
  ...(['TMixture', 'MultivariateT'] as const).flatMap((name) => {
    const make = (o: object) => (name === 'TMixture' ? new TMixture(o) : new MultivariateT(o))
    return [
      { name: `${name}: nu 1e9`, run: () => make({ nu: 1e9 }), error: OptionError, code: 'INVALID_OPTION' as const, message: /'nu': must be degrees of freedom in \[0\.001, 1000000\], got 1000000000; a t with more degrees of freedom is a normal to double precision: use 1000000, or fit a Gaussian model/ },
      { name: `${name}: nu -1`, run: () => make({ nu: -1 }), error: OptionError, code: 'INVALID_OPTION' as const, message: /'nu': must be degrees of freedom in \[0\.001, 1000000\], got -1; give a number of at least 0\.001, or leave it out to estimate it/ },
      { name: `${name}: nu NaN`, run: () => make({ nu: NaN }), error: OptionError, code: 'INVALID_OPTION' as const, message: /got NaN;/ },
      { name: `${name}: nu "5"`, run: () => make({ nu: '5' }), error: OptionError, code: 'INVALID_OPTION' as const, message: /got "5"; give a number/ },
    ]
  }),
  { name: 'MultivariateT: init.nu 1e9', run: () => new MultivariateT({ init: { nu: 1e9 } }).fit(X), error: OptionError, code: 'INVALID_OPTION', message: /'init\.nu': must be degrees of freedom .* got 1000000000/ },
  { name: 'TMixture: init.nu [-1]', run: () => new TMixture({ init: { nu: [-1] } }).fit(X), error: OptionError, code: 'INVALID_OPTION', message: /'init\.nu\[0\]': must be degrees of freedom .* got -1/ },
])

const flat = (data: unknown, rows = 2, cols = 3) => ({ data, rows, cols }) as never
catalog('{ data, rows, cols } is checked like rows: no silent NaN or 0 from junk', [
  { name: 'GaussianMixture: data with a string', run: () => new GaussianMixture().fit(flat([1, 2, 3, 4, 'a', 6])), error: InputError, code: 'INVALID_DATA', message: /X\.data\[4\] \(row 1, column 1\) is "a", not a number/ },
  { name: 'GaussianMixture: data with null (was a silent 0)', run: () => new GaussianMixture().fit(flat([1, 2, 3, 4, null, 6])), error: InputError, code: 'INVALID_DATA', message: /X\.data\[4\] \(row 1, column 1\) is null, not a number/ },
  { name: 'GaussianMixture: data with undefined (was a silent missing value)', run: () => new GaussianMixture().fit(flat([1, 2, 3, 4, undefined, 6])), error: InputError, code: 'INVALID_DATA', message: /X\.data\[4\] \(row 1, column 1\) is undefined, not a number/ },
  { name: 'MultivariateNormal: data with a BigInt', run: () => new MultivariateNormal().fit(flat([1, 2, 3, 4n, 5, 6])), error: InputError, code: 'INVALID_DATA', message: /X\.data\[3\] \(row 1, column 0\) is 4n, a BigInt: convert it with Number/ },
  { name: 'BayesianGaussianMixture: data null', run: () => new BayesianGaussianMixture().fit(flat(null)), error: InputError, code: 'INVALID_DATA', message: /X\.data must be a Float64Array \(or an array of numbers\) of rows\*cols values, row-major; got null/ },
  { name: 'TMixture: data a string', run: () => new TMixture().fit(flat('123456')), error: InputError, code: 'INVALID_DATA', message: /X\.data must be a Float64Array .*got "123456"/ },
  { name: 'FactorAnalysis: data too short', run: () => new FactorAnalysis().fit(flat(new Float64Array(5))), error: InputError, code: 'SHAPE_MISMATCH', message: /X: data has 5 values but rows\*cols = 6; pass a Float64Array of exactly rows\*cols values/ },
  { name: 'GaussianHMM: rows a string', run: () => new GaussianHMM().fit({ data: new Float64Array(6), rows: '2', cols: 3 } as never), error: InputError, code: 'INVALID_DATA', message: /rows and cols must be non-negative integers \(got rows="2", cols=3\)/ },
  { name: 'GMMHMM: cols NaN', run: () => new GMMHMM().fit({ data: new Float64Array(6), rows: 2, cols: NaN } as never), error: InputError, code: 'INVALID_DATA', message: /\(got rows=2, cols=NaN\)/ },
  { name: 'BayesianGaussianMixture: NaN where no missing values are allowed', run: () => new BayesianGaussianMixture().fit(flat([1, 2, 3, 4, NaN, 6])), error: InputError, code: 'NON_FINITE', message: /X\[1\]\[1\] is NaN; this model does not handle missing values: drop or impute that row/ },
  { name: 'PoissonMixture: a one-column matrix with a string', run: () => new PoissonMixture().fit(flat([1, 'b', 3], 3, 1)), error: InputError, code: 'INVALID_DATA', message: /counts\.data\[1\] \(row 1, column 0\) is "b", not a number/ },
  { name: 'ProbitRegression: X data with a string', run: () => new ProbitRegression().fit(flat([1, 2, 3, 4, 'x', 6]), [0, 1]), error: InputError, code: 'INVALID_DATA', message: /X\.data\[4\] \(row 1, column 1\) is "x", not a number/ },
])

catalog('values shown as given: strings quoted, NaN as NaN', [
  { name: "nComponents '2'", run: () => new GaussianMixture({ nComponents: '2' as never }), error: OptionError, code: 'INVALID_OPTION', message: /'nComponents': must be an integer >= 1, got "2"\./ },
  { name: 'tol NaN', run: () => new GaussianMixture({ tol: NaN }), error: OptionError, code: 'INVALID_OPTION', message: /'tol': must be a finite number >= 0, got NaN\./ },
  { name: "covarianceType 'ful'", run: () => new GaussianMixture({ covarianceType: 'ful' as never }), error: OptionError, code: 'INVALID_OPTION', message: /got "ful" \(did you mean 'full'\?\)/ },
  { name: 'workers "2"', run: () => new GaussianMixture({ workers: '2' as never }), error: OptionError, code: 'INVALID_OPTION', message: /'workers': must be 'auto' or an integer >= 1 \(1 = serial\), got "2"\./ },
  { name: 'accelerate { method: "squarem", stepLength: "2" }', run: () => new GaussianMixture({ accelerate: { method: 'squarem', stepLength: '2' } as never }), error: OptionError, code: 'INVALID_OPTION', message: /stepLength must be 1, 2 or 3 \(SqS1\.\.SqS3\), got "2"\./ },
  { name: 'X[1][0] "3"', run: () => new GaussianMixture().fit([[1, 2], ['3', 4]] as never), error: InputError, code: 'INVALID_DATA', message: /X\[1\]\[0\] is "3", not a number\./ },
  { name: 'sampleWeight[1] "2"', run: () => new GaussianMixture().fit(X, { sampleWeight: X.map((_, i) => (i === 1 ? '2' : 1)) as never }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight\[1\] is "2", not a number\./ },
  { name: 'sampleWeight[2] NaN', run: () => new TMixture().fit(X, { sampleWeight: X.map((_, i) => (i === 2 ? NaN : 1)) }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight\[2\] is NaN; weights must be finite and >= 0\./ },
  { name: 'sampleWeight a string', run: () => new FactorAnalysis().fit(X, { sampleWeight: '1'.repeat(30) as never }), error: InputError, code: 'INVALID_DATA', message: /sampleWeight must be an array of numbers \(one per row: 30\), got "1{30}"\./ },
  { name: 'ProbitRegression y[0] "1"', run: () => new ProbitRegression().fit(X, yBinary.map((v, i) => (i === 0 ? '1' : v)) as never), error: InputError, code: 'INVALID_DATA', message: /y\[0\] is "1", not a number\./ },
  { name: 'TobitRegression y[3] undefined', run: () => new TobitRegression().fit(X, yBinary.map((v, i) => (i === 3 ? undefined : v)) as never), error: InputError, code: 'NON_FINITE', message: /y\[3\] is undefined, not a number; give finite responses/ },
  { name: 'TobitRegression intervals[0] ["a", 2]', run: () => new TobitRegression().fit(X, yBinary, { intervals: X.map((_, i) => (i === 0 ? ['a', 2] : null)) as never }), error: InputError, code: 'INVALID_DATA', message: /intervals\[0\] is \["a", 2\]; give \[lo, hi\] with lo < hi/ },
  { name: 'LogisticGLMM groups[1] null', run: () => new LogisticGLMM({ maxIter: 1 }).fit(X, yBinary, { groups: groups.map((g, i) => (i === 1 ? null : g)) as never }), error: InputError, code: 'INVALID_DATA', message: /groups\[1\] is null; give every row a group label/ },
  { name: 'LogisticGLMM mcem "fast"', run: () => new LogisticGLMM({ mcem: 'fast' as never }), error: OptionError, code: 'INVALID_OPTION', message: /'mcem': must be an object, got "fast"\./ },
])

// a column count not yet known (no data, and no row of means to read it from) is named d, never 0
catalog('given means that are not rows: the shape asked names d, the columns of X', [
  { name: 'GaussianMixture init.means 3', run: () => new GaussianMixture({ nComponents: 2, init: { means: 3 as never } }), error: OptionError, code: 'INVALID_OPTION', message: /init\.means must have shape \[2, d\] \(d: the columns of X\); init\.means is 3\./ },
  { name: 'GaussianHMM init.means true', run: () => new GaussianHMM({ init: { means: true as never } }), error: OptionError, code: 'INVALID_OPTION', message: /init\.means must have shape \[2, d\] \(d: the columns of X\); init\.means is true\./ },
  { name: 'GMMHMM init.means [1, 2]', run: () => new GMMHMM({ init: { means: [1, 2] as never } }), error: OptionError, code: 'INVALID_OPTION', message: /init\.means must have shape \[2, 1, d\] \(d: the columns of X\); init\.means\[0\] is 1\./ },
  { name: 'GaussianMixture init.means of 2 columns for K = 2 (shape known)', run: () => new GaussianMixture({ nComponents: 2, init: { means: [[1, 2]] } }), error: OptionError, code: 'INVALID_OPTION', message: /init\.means must have shape \[2, 2\]; init\.means is of length 1\./ },
])

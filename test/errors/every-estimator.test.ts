/**
 * Bad input every estimator must refuse the same way: options that are not an
 * object, misspelt constructor and fit-call names (with the suggestion), an
 * AbortController where a signal goes, callbacks that are not functions, BigInt or
 * string data, scoring before fit. One row per estimator and case.
 */
import { InputError, NotFittedError, OptionError } from '../../src/index.js'
import { type Case, catalog, SUBJECTS, type Subject } from './catalog.js'

const weightsHint = (s: Subject): RegExp => (s.weights ? /did you mean 'sampleWeight'\?/ : new RegExp(`${s.name} takes no sample weights here \\(to weight a row, repeat it\\)`))

function casesOf(s: Subject): Case[] {
  const option = (name: string, run: () => unknown, message: RegExp): Case => ({ name: `${s.name}: ${name}`, run, error: OptionError, code: 'INVALID_OPTION', message })
  const input = (name: string, run: () => unknown, message: RegExp): Case => ({ name: `${s.name}: ${name}`, run, error: InputError, code: 'INVALID_DATA', message })
  const fit = (options: unknown) => () => s.fit(s.fresh(), options)
  return [
    option('options null', () => new s.Class(null as never), new RegExp(`'${s.name} options': must be an object of options \\(or left out\\), got null\\.`)),
    option('options a number', () => new s.Class(3 as never), /must be an object of options \(or left out\), got 3\./),
    option('options a string', () => new s.Class('maxIter: 5' as never), /must be an object of options \(or left out\), got "maxIter: 5"\./),
    option('options an array', () => new s.Class([{ maxIter: 5 }] as never), /must be an object of options \(or left out\), got \[\{ maxIter: 5 \}\]\./),
    option('options an AbortSignal', () => new s.Class(new AbortController().signal as never), /must be an object of options \(or left out\), got an AbortSignal\./),
    option("constructor option 'maxIters'", () => new s.Class({ maxIters: 5 } as never), new RegExp(`${s.name} has no option 'maxIters'; did you mean 'maxIter'\\?`)),
    option('setParams(null)', () => s.fresh().setParams(null), /'setParams options': must be an object of options \(or left out\), got null\./),
    option('fit options null', fit(null), new RegExp(`'${s.name}.fit options': must be an object of options \\(or left out\\), got null\\.`)),
    option('fit options a string', fit('lengths'), /must be an object of options \(or left out\), got "lengths"\./),
    option('fit options an AbortController', fit(new AbortController()), /got an AbortController \(pass it as \{ signal: controller\.signal \}\)/),
    option('fit options an AbortSignal', fit(new AbortController().signal), /got an AbortSignal \(pass it as \{ signal: signal \}\)/),
    option("fit option 'sampleWeights'", fit({ sampleWeights: [1] }), new RegExp(`${s.name}\\.fit\\(\\) has no option 'sampleWeights'; ${weightsHint(s).source}`)),
    option("fit option 'weights'", fit({ weights: [1] }), new RegExp(`${s.name}\\.fit\\(\\) has no option 'weights'; ${weightsHint(s).source}`)),
    option("fit option 'length'", fit({ length: [30] }), s.sequences ? /has no option 'length'; did you mean 'lengths'\?/ : new RegExp(`has no option 'length'; ${s.name}'s rows are independent samples, not sequences \\('lengths' is for the HMMs`)),
    option("fit option 'maxIters'", fit({ maxIters: 5 }), new RegExp(`has no option 'maxIters'; 'maxIter' is an option of the estimator, not of this call: give it to the constructor \\(new ${s.name}\\(\\{ maxIter: \\.\\.\\. \\}\\)\\) or to setParams`)),
    option('signal an AbortController', fit({ signal: new AbortController() }), /'signal': must be an AbortSignal \(you passed an AbortController: pass its \.signal\), got an AbortController\./),
    option('signal true', fit({ signal: true }), /'signal': must be an AbortSignal, got true\./),
    option('onIteration a number', fit({ onIteration: 3 }), /'onIteration': must be a function, got 3\./),
    option('onIteration a string', fit({ onIteration: 'log' }), /'onIteration': must be a function, got "log"\./),
    input('X holds BigInts', () => s.fit(s.fresh(), undefined, s.bigintX), /is \d+n, a BigInt: convert it with Number\(\.\.\.\)/),
    input('X a string', () => s.fit(s.fresh(), undefined, '1,2,3'), /got "1,2,3"\./),
    input('X null', () => s.fit(s.fresh(), undefined, null), /got null\./),
    { name: `${s.name}: scoring before fit`, run: () => s.score(s.fresh()), error: NotFittedError, code: 'NOT_FITTED', message: /needs a fitted model: call fit\(\) first/ },
  ]
}

catalog('every estimator refuses bad options, fit options and data with typed errors', SUBJECTS.flatMap(casesOf))

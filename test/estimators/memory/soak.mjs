#!/usr/bin/env node
/**
 * The memory soak (npm run soak:memory): for each round in rounds.mjs (every exported
 * estimator, bootstrap, bootstrapLRT, selectModel and the fit paths), a process of its
 * own warms up and then runs 10,000 consecutive rounds of that one estimator, with no
 * dispose(). Passes when the wasm memory in use is exactly the same before and after the
 * 10,000 and the median RSS after is within 5% of the median before ("at start", before
 * the first round, is shown too: what the allocator holds with no fit yet). Too long for the
 * test suite (minutes: see bench/README.md), which runs the 10,000 cycling through
 * every estimator instead (test/estimators/memory.test.ts).
 *
 *   npm run soak:memory [-- --rounds 10000 --warm-up 1000 --jobs 2 --only GMMHMM,bootstrap --lock /tmp/emkit-cpu.lock]
 *
 * Runs the built package (dist/: npm run build first). --lock FILE holds a shared flock
 * on FILE around each child, not the whole run.
 * Prints a Markdown table; exits 1 if any estimator grew.
 */
import { parseArgs } from 'node:util'
import * as lib from '../../../dist/src/index.js'
import { makeRounds } from './rounds.mjs'
import { median, runLoop } from './child.mjs'

const { values } = parseArgs({
  options: {
    'rounds': { type: 'string', default: '10000' },
    'warm-up': { type: 'string', default: '1000' },
    'jobs': { type: 'string', default: '2' },
    'only': { type: 'string' },
    'lock': { type: 'string' },
  },
})
const fits = Number(values.rounds)
const warmUp = Number(values['warm-up'])
const jobs = Math.max(1, Number(values.jobs))
const names = values.only ? values.only.split(',') : Object.keys(makeRounds(lib))
const RSS_TOLERANCE = 1.05

const mib = (b) => (b / 2 ** 20).toFixed(1)
const results = new Map()
const started = performance.now()
let next = 0
const worker = async () => {
  while (next < names.length) {
    const name = names[next++]
    try {
      const r = await runLoop({ warmUp, fits, name, lock: values.lock })
      const rssBefore = median(r.before)
      const rssAfter = median(r.after)
      const ok = r.fits === fits && r.kernelAfter === r.kernelBefore && rssAfter <= rssBefore * RSS_TOLERANCE
      results.set(name, { ...r, rssBefore, rssAfter, ok })
      process.stderr.write(`${ok ? 'ok  ' : 'FAIL'} ${name}: kernel ${r.kernelBefore} -> ${r.kernelAfter} B, RSS ${mib(rssBefore)} -> ${mib(rssAfter)} MiB, ${(r.fits / r.seconds).toFixed(0)} rounds/s\n`)
    } catch (e) {
      // the child's own error (its stderr), not the command line that failed
      const cause = String(e?.stderr ?? '').split('\n').find((l) => /^\w*Error\b/.test(l)) ?? String(e?.message ?? e).split('\n')[0]
      results.set(name, { error: cause, ok: false })
      process.stderr.write(`FAIL ${name}: ${String(e?.stack ?? e)}\n`)
    }
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker))
const wall = (performance.now() - started) / 1000

const lines = [
  `${fits.toLocaleString('en')} consecutive rounds of each (after ${warmUp.toLocaleString('en')} to warm up), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${jobs} at a time; wall time ${wall.toFixed(0)} s`,
  '',
  '| estimator | rounds | kernel bytes at start | before | after | RSS before (MiB) | after (MiB) | change | rounds/s | |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
]
for (const name of names) {
  const r = results.get(name)
  if (r.error) { lines.push(`| ${name} | | | | | | | | | error: ${r.error} |`); continue }
  const change = ((r.rssAfter / r.rssBefore - 1) * 100).toFixed(1)
  lines.push(`| ${name} | ${r.fits} | ${r.kernelStart} | ${r.kernelBefore} | ${r.kernelAfter} | ${mib(r.rssBefore)} | ${mib(r.rssAfter)} | ${change.startsWith('-') ? '' : '+'}${change}% | ${(r.fits / r.seconds).toFixed(0)} | ${r.ok ? 'flat' : 'GREW'} |`)
}
process.stdout.write(lines.join('\n') + '\n')
if ([...results.values()].some((r) => !r.ok)) process.exitCode = 1

/** `emkit fit --se`: estimates with standard errors, equal to the library's. */
import { describe, expect, it } from 'vitest'
import { parseFitArgs, UsageError } from '../../src/cli/args.js'
import { run, type CliIO } from '../../src/cli/run.js'
import { GaussianMixture } from '../../src/index.js'
import { faithful } from '../../src/data/faithful.js'

function fakeIO() {
  const out: string[] = [], err: string[] = [], written: Record<string, string> = {}
  const io: CliIO = {
    stdout: (t) => { out.push(t) },
    stderr: (t) => { err.push(t) },
    readFile: () => { throw new Error('no files') },
    writeFile: (p, t) => { written[p] = t },
  }
  return { io, out: () => out.join(''), err: () => err.join(''), written }
}

describe('emkit fit --se', () => {
  it('prints each free parameter with its standard error (sem by default) and writes them to --json', async () => {
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'full', '--n-init', '2', '--se', '--json', 'out.json'], f.io)).toBe(0)
    const text = f.out()
    expect(text).toMatch(/Standard errors \(observed information, method sem; EM's rate of convergence 0\.\d+\)/)
    const lines = text.split('\n')
    const head = lines.findIndex((l) => /^parameter\s+estimate\s+std\. error$/.test(l))
    expect(head).toBeGreaterThan(0)
    const rows = lines.slice(head + 2, head + 2 + 11).map((l) => l.trim().split(/\s+/))
    expect(rows.map((r) => r[0])).toEqual([
      'weight[0]', 'mean[0][eruptions]', 'mean[0][waiting]', 'mean[1][eruptions]', 'mean[1][waiting]',
      'cov[0][eruptions][eruptions]', 'cov[0][eruptions][waiting]', 'cov[0][waiting][waiting]',
      'cov[1][eruptions][eruptions]', 'cov[1][eruptions][waiting]', 'cov[1][waiting][waiting]',
    ])
    const json = JSON.parse(f.written['out.json']!)
    const est = await new GaussianMixture({ nComponents: 2, covarianceType: 'full', nInit: 2, seed: 0, tol: 1e-6, maxIter: 200 }).fit(faithful.rows)
    const se = await est.standardErrors({ method: 'sem' })
    expect(json.standardErrors.names).toEqual(se.names)
    expect(json.standardErrors.standardErrors).toEqual(se.standardErrors)
    for (let i = 0; i < 11; i++) expect(Number(rows[i]![2])).toBeCloseTo(se.standardErrors[i]!, 3 - Math.ceil(Math.log10(se.standardErrors[i]!)))
  })
  it('--se-method hessian and louis; misuse is a usage error', async () => {
    expect(parseFitArgs(['--se-method', 'hessian']).se).toBe('hessian')
    expect(parseFitArgs(['--se']).se).toBe('sem')
    expect(parseFitArgs([]).se).toBe(null)
    expect(() => parseFitArgs(['--se-method', 'fisher'])).toThrow(UsageError)
    expect(() => parseFitArgs(['--se'], 'hmm')).toThrow(/use it with emkit fit/)
    const f = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'tied', '--n-init', '1', '--se-method', 'hessian'], f.io)).toBe(0)
    expect(f.out()).toMatch(/method hessian\)/)
    expect(f.out()).toMatch(/cov\[eruptions\]\[waiting\]/)
    expect(parseFitArgs(['--se-method', 'louis']).se).toBe('louis')
    const g = fakeIO()
    expect(await run(['fit', '--k', '2', '--covariance', 'tied', '--n-init', '1', '--se-method', 'louis'], g.io)).toBe(0)
    expect(g.out()).toMatch(/method louis\)/)
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixtureJson } from '../helpers/data.js'

/** docs/fitEM.md's example is this file, word for word (bar the import path), and it runs. */
describe('docs/fitEM.md example', () => {
  it('is the example file', () => {
    const doc = readFileSync(new URL('../../docs/fitEM.md', import.meta.url), 'utf8')
    const block = doc.split('```ts\n').find((b) => b.includes("name: 'genetic-linkage'"))!.split('\n```')[0]!
    const file = readFileSync(new URL('./genetic-linkage.example.ts', import.meta.url), 'utf8').replace("'../../src/index.js'", "'emkit'")
    expect(block.trim()).toBe(file.trim())
  })

  it('runs: EM and SQUAREM reach the published MLE', async () => {
    const { em, squarem } = await import('./genetic-linkage.example.js')
    const mle = fixtureJson('published.json').genetic_linkage.mle_theta
    expect(em.status).toBe('converged')
    expect(Math.abs(em.params - mle)).toBeLessThan(1e-7)
    expect(Math.abs(squarem.params - mle)).toBeLessThan(1e-7)
    expect(squarem.fixedPointEvaluations).toBeLessThan(em.fixedPointEvaluations)
  })
})

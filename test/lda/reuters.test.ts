/**
 * LatentDirichletAllocation against scikit-learn 1.9.1 on the Reuters corpus (70 x 765;
 * test/fixtures/16_lda_sklearn_reuters.json, its `semantics`): from the written start,
 * documents from ones, K = 5 and 10. scikit-learn's own digamma is approximate (AS 103),
 * so trajectories are compared with the fixture's exact_digamma run (same algorithm,
 * scipy's digamma) and the final topic-word matrix with scikit-learn's to 1e-5.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LatentDirichletAllocation } from '../../src/index.js'
import { fixtureJson } from '../helpers/data.js'

const ref = fixtureJson('16_lda_sklearn_reuters.json')
const dir = new URL('../fixtures/data/', import.meta.url)
const lines = (name: string) => readFileSync(new URL(name, dir), 'utf8').trim().split(/\r?\n/).slice(1)
const triplets = lines('lda_reuters_counts.csv').map((l) => l.split(',').map(Number))
const corpus = { doc: triplets.map((t) => t[0]! - 1), term: triplets.map((t) => t[1]! - 1), count: triplets.map((t) => t[2]!), rows: 70, cols: 765 }
const vocabulary = lines('lda_reuters_vocab.csv').map((l) => l.split(',')[1]!.replace(/"/g, ''))

function maxRel(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length)
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!) / Math.abs(b[i]!)), 0)
}

const perplexities = (lda: LatentDirichletAllocation, tokens: number) => lda.history.map((b) => Math.exp(-b / tokens))

describe('LDA on Reuters against scikit-learn (batch)', () => {
  for (const K of [5, 10]) {
    it(`K = ${K}: bound and perplexity trajectories, top words, topic-word`, async () => {
      const fit = ref.fits[`K${K}`]
      const lda = new LatentDirichletAllocation({ nComponents: K, learningMethod: 'batch', maxIter: 20, evaluateEvery: 1, perpTol: 0, init: { topicWord: fit.start_components } })
      await lda.fit(corpus)
      const exact = fit.batch.exact_digamma
      expect(lda.history).toHaveLength(21)
      const boundErr = maxRel(lda.history, exact.bound_trajectory)
      const perpErr = maxRel(perplexities(lda, ref.dataset.n_tokens), exact.perplexity_trajectory)
      const tw = lda.components.flat()
      const twErr = maxRel(tw, fit.batch.components.flat())
      console.log(`[lda reuters K=${K} batch] bound max rel ${boundErr.toExponential(2)}, perplexity ${perpErr.toExponential(2)}, topic-word vs sklearn ${twErr.toExponential(2)}`)
      expect(boundErr).toBeLessThan(1e-8)
      expect(perpErr).toBeLessThan(1e-8)
      expect(twErr).toBeLessThan(1e-5)
      expect(lda.topWords(vocabulary, 10)).toEqual(exact.top10_terms)
      expect(lda.perplexity(corpus) / fit.batch.final_perplexity - 1).toBeLessThan(1e-7)
      expect(Math.abs(lda.score(corpus) / exact.bound_trajectory[20] - 1)).toBeLessThan(1e-8)
      const theta = lda.transform(corpus).slice(0, 5).flat()
      expect(maxRel(theta, fit.batch.doc_topic_final_normalised_first5.flat())).toBeLessThan(1e-4)
    })
  }
})

describe('LDA on Reuters against scikit-learn (online)', () => {
  for (const K of [5, 10]) {
    it(`K = ${K}: perplexity after each pass (batch size 16, offset 10, decay 0.7)`, async () => {
      const fit = ref.fits[`K${K}`]
      const lda = new LatentDirichletAllocation({ nComponents: K, learningMethod: 'online', maxIter: 10, batchSize: 16, learningOffset: 10, learningDecay: 0.7, evaluateEvery: 1, perpTol: 0, init: { topicWord: fit.start_components } })
      await lda.fit(corpus)
      const perpErr = maxRel(perplexities(lda, ref.dataset.n_tokens), fit.online.exact_digamma.perplexity_trajectory)
      const twErr = maxRel(lda.components.flat(), fit.online.components.flat())
      console.log(`[lda reuters K=${K} online] perplexity max rel ${perpErr.toExponential(2)}, topic-word vs sklearn ${twErr.toExponential(2)}`)
      expect(perpErr).toBeLessThan(1e-7)
      expect(lda.nBatchIter).toBe(fit.online.n_batch_iter)
    })
  }
})

/** The cbpp data of the lme4 fixture as LogisticGLMM inputs (period dummies, herd labels). */
import { readFileSync } from 'node:fs'

export interface CbppFit {
  readonly nAGQ: number
  readonly intercept: number
  readonly coefficients: number[]
  readonly randomEffectSD: number
  readonly logLik: number
  readonly integrateLogLik: number
}

export const fixture = JSON.parse(readFileSync(new URL('../fixtures/glmm_cbpp_lme4.json', import.meta.url), 'utf8')) as {
  data: { herd: number[]; period: number[]; incidence: number[]; size: number[] }
  saturatedLogLik: number
  agq25: CbppFit
  laplace: CbppFit
}

const d = fixture.data
/** Dummies of periods 2, 3, 4 (period 1 is the reference level, as in R's treatment contrasts). */
export const X = d.period.map((p) => [p === 2 ? 1 : 0, p === 3 ? 1 : 0, p === 4 ? 1 : 0])
export const y = d.incidence
export const trials = d.size
export const groups = d.herd

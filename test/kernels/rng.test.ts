/** The uniforms kernel gives exactly Rng.uniform()'s stream and writes the state back. */
import { beforeAll, describe, expect, it } from 'vitest'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS, loadAll } from './backends.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

describe.each(BACKENDS)('%s uniforms', (name) => {
  it.each([1, 42, 2 ** 40 + 5, -7, 0, 123456789])('seed %d: same stream as Rng.uniform(), continued across calls', (seed) => {
    const k = K[name]
    const a = k.arena()
    const reference = new Rng(seed)
    const state = a.i32(4)
    state.view.set(new Rng(seed).state)
    for (const length of [1, 3, 0, 257, 2, 1000]) {
      const out = a.f64(length)
      k.uniforms(state, out)
      const v = out.view
      for (let i = 0; i < length; i++) {
        const expected = reference.uniform()
        if (!Object.is(v[i], expected)) expect.fail(`seed ${seed}, call of ${length}, draw ${i}: ${v[i]} vs ${expected}`)
        expect(v[i]).toBeGreaterThanOrEqual(0)
        expect(v[i]).toBeLessThan(1)
      }
      expect(Array.from(state.view)).toEqual(Array.from(reference.state))
    }
    // and the generator continues from the written-back state
    expect(Rng.fromState(state.view).uniform()).toBe(reference.uniform())
    a.dispose()
  })
})

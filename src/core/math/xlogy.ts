/** sum_i n_i log p_i with 0 log 0 = 0 (expected counts against probabilities: a categorical's part of Q). */
export function countsLogProb(counts: ArrayLike<number>, probs: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) sum += counts[i]! * Math.log(probs[i]!)
  return sum
}

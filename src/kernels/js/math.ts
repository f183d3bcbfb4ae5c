/** The JS twin of assembly/math.ts's exp: the one TypeScript copy lives in core (the seeded samplers use it too). */
export { EXP_FLUSH, expFlush } from '../../core/math/exp.js'

/**
 * The toolkit every plot uses, in one import: style, text, ticks, axes, marks, the
 * document frame and input checks (each in its own file). Pure string building, no
 * Node built-ins and no DOM: the plots run in Node, browsers and edge runtimes alike.
 */
export * from './style.js'
export * from './text.js'
export * from './ticks.js'
export * from './axes.js'
export * from './marks.js'
export * from './frame.js'
export * from './inputs.js'

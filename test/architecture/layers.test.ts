/**
 * The rooms of src/ and their order (docs/architecture.md): a file may import only
 * from its own layer or the layers below it, and no files import each other in a
 * circle. Type-only imports count: a circle of types is still a circle to read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src')

/** Bottom to top; the first matching prefix names a file's layer. */
const LAYERS: readonly (readonly [string, readonly string[]])[] = [
  ['core', ['core/', 'types/']],
  ['kernels', ['kernels/']],
  ['engine', ['engine/']],
  ['models', ['models/']],
  ['runtime', ['runtime/']],
  ['estimators', ['estimators/']],
  ['registry', ['registry/']],
  ['inference', ['inference/']],
  ['readers and plots', ['io/', 'plot/', 'data/']],
  ['pool', ['parallel/']],
  ['command', ['cli/']],
  ['entries', ['index.ts', 'node.ts', 'browser.ts', 'edge.ts']],
]

function layerOf(file: string): number {
  const i = LAYERS.findIndex(([, prefixes]) => prefixes.some((p) => file === p || file.startsWith(p)))
  if (i < 0) throw new Error(`src/${file} is in no layer: add its folder to LAYERS and to docs/architecture.md`)
  return i
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return name.endsWith('.ts') ? [relative(SRC, path).split('\\').join('/')] : []
  })
}

// static imports and re-exports (type-only included) and dynamic import('...') of relative modules
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g

function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(join(SRC, file), 'utf8')
  const out: string[] = []
  for (const m of text.matchAll(IMPORT_RE)) {
    const target = join(dirname(file), m[1]!).split('\\').join('/').replace(/\.js$/, '.ts')
    if (known.has(target)) out.push(target)
    else if (!target.startsWith('..') && !m[1]!.endsWith('.wasm')) throw new Error(`src/${file} imports ${m[1]}, which is not a source file`)
  }
  return out
}

const files = sources(SRC).sort()
const known = new Set(files)
const graph = new Map(files.map((f) => [f, importsOf(f, known)]))

/** Strongly connected components with more than one file (Tarjan). */
function circles(): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const out: string[][] = []
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++
    stack.push(v); on.add(v)
    for (const w of graph.get(v)!) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = []
      let w: string
      do { w = stack.pop()!; on.delete(w); scc.push(w) } while (w !== v)
      if (scc.length > 1) out.push(scc.sort())
    }
  }
  for (const f of files) if (!idx.has(f)) visit(f)
  return out
}

describe('the layers of src/', () => {
  it('every file belongs to a layer', () => {
    for (const f of files) expect(() => layerOf(f)).not.toThrow()
  })

  it('no import runs back up a layer', () => {
    const upward: string[] = []
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (layerOf(to) > layerOf(from)) upward.push(`src/${from} (${LAYERS[layerOf(from)]![0]}) -> src/${to} (${LAYERS[layerOf(to)]![0]})`)
      }
    }
    expect(upward).toEqual([])
  })

  it('no files import each other in a circle', () => {
    expect(circles()).toEqual([])
  })

  it('sees the imports it checks (the walker is not blind)', () => {
    expect(graph.get('index.ts')!.length).toBeGreaterThan(10)
    expect(graph.get('engine/fitEM.ts')).toContain('engine/types.ts')
  })
})

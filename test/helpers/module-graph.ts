import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

const IMPORT_RE = /(?:^|[;\s])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]/g

/** A relative dynamic import, `import('./x.js')` (bare ones load Node's packages on Node only). */
const DYNAMIC_RE = /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g

/**
 * Every file reachable by static imports from `entry` (absolute paths), and the bare or
 * node: specifiers met; with `dynamic`, by relative dynamic imports too (what a runtime
 * that loads only listed modules, workerd, must be given: parts loaded on demand).
 */
export function moduleGraph(entry: string, { dynamic = false } = {}): { files: string[]; external: string[] } {
  const seen = new Set<string>([entry])
  const external = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (!file.endsWith('.js')) continue
    const text = readFileSync(file, 'utf8')
    for (const match of [...text.matchAll(IMPORT_RE), ...(dynamic ? text.matchAll(DYNAMIC_RE) : [])]) {
      const spec = match[1]!
      if (!spec.startsWith('.')) { external.add(spec); continue }
      const target = join(dirname(file), spec)
      if (!seen.has(target)) { seen.add(target); queue.push(target) }
    }
  }
  return { files: [...seen].sort(), external: [...external].sort() }
}

export function relativeFiles(files: string[], root: string): string[] {
  return files.map((f) => relative(root, f).split('\\').join('/'))
}

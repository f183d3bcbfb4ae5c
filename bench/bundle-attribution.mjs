// Which source modules make up the GMM-only browser bundle's code loaded at start:
// bundles `export { GaussianMixture } from 'emkit'` as test/package/bundle-size.test.ts
// does (rolldown, browser condition, minified), with a source map, and attributes each
// minified byte to the source file the map points it at.
// With --fit, the code a plain fit has loaded: the start plus the wasm backend's
// wrappers ('wasm*' chunks) and the start plans ('start'), with their imports, as the
// test's fitCode.
// Usage: node bench/bundle-attribution.mjs [--fit] [top=40] [entry source] [file]
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
import { decode } from '@jridgewell/sourcemap-codec'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const fit = process.argv.includes('--fit')
const args = process.argv.slice(2).filter((a) => a !== '--fit')
const top = Number(args[0] ?? 40)
const source = args[1] || "export { GaussianMixture } from 'emkit'\n"
// a module whose bytes to attribute per source line range of 20 lines (e.g. dist/src/estimators/base.js)
const lineOf = args[2]
const byLine = new Map()
const dir = mkdtempSync(join(tmpdir(), 'emkit-attr-'))
try {
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(root, join(dir, 'node_modules', 'emkit'), 'dir')
  const input = join(dir, 'entry.js')
  writeFileSync(input, source)
  const build = await rolldown({ input, platform: 'browser', logLevel: 'silent', experimental: { resolveNewUrlToAsset: true } })
  const { output } = await build.write({ dir: join(dir, 'out'), format: 'esm', minify: true, sourcemap: true })
  await build.close()
  const chunks = output.filter((o) => o.type === 'chunk')
  const entry = chunks.find((c) => c.isEntry)
  const start = new Set([entry.fileName, ...entry.imports])
  for (const c of chunks) if (start.has(c.fileName)) for (const i of c.imports) start.add(i)
  if (fit) {
    const byFile = new Map(chunks.map((c) => [c.fileName, c]))
    for (const c of chunks) if (c.name === 'wasm' || c.name === 'start') start.add(c.fileName)
    for (const f of start) for (const i of byFile.get(f).imports) start.add(i)
  }
  const bytes = new Map()
  let total = 0
  for (const chunk of chunks.filter((c) => start.has(c.fileName))) {
    const map = chunk.map
    if (!map) { total += chunk.code.length; add('(unmapped)', chunk.code.length); console.log(`(no source map for chunk ${chunk.fileName}: ${chunk.code.length} bytes)`); continue }
    const lines = chunk.code.split('\n')
    const decoded = decode(map.mappings)
    total += chunk.code.length
    lines.forEach((line, l) => {
      const segs = decoded[l] ?? []
      // bytes before the first segment and newlines go to '(unmapped)'
      let prevCol = 0, prevSrc = '(unmapped)', prevLine = -1
      for (const seg of segs) {
        add(prevSrc, seg[0] - prevCol)
        if (lineOf && prevSrc.endsWith(lineOf)) byLine.set(prevLine, (byLine.get(prevLine) ?? 0) + seg[0] - prevCol)
        prevCol = seg[0]
        prevSrc = seg.length >= 2 ? map.sources[seg[1]] : '(unmapped)'
        prevLine = seg.length >= 3 ? seg[2] : -1
      }
      add(prevSrc, line.length - prevCol + 1)
    })
  }
  function add(src, n) {
    const name = src === '(unmapped)' ? src : relative(root, resolve(join(dir, 'out'), src)).replace(/^.*?node_modules\/emkit\//, '')
    bytes.set(name, (bytes.get(name) ?? 0) + n)
  }
  const rows = [...bytes].sort((a, b) => b[1] - a[1])
  console.log(`code loaded ${fit ? 'once a plain fit has run' : 'at start'}: ${(total / 1000).toFixed(1)} kB minified, ${rows.length} modules`)
  for (const c of chunks) console.log(`  ${start.has(c.fileName) ? '*' : ' '} chunk ${c.name}: ${(c.code.length / 1000).toFixed(1)} kB`)
  const dirs = new Map()
  for (const [f, n] of rows) { const d = f.split('/').slice(0, -1).join('/') || '.'; dirs.set(d, (dirs.get(d) ?? 0) + n) }
  for (const [f, n] of rows.slice(0, top)) console.log(`${(n / 1000).toFixed(2).padStart(7)} kB  ${f}`)
  if (lineOf) {
    console.log(`\n${lineOf} by lines of its source map (0-based, the .js file):`)
    const ranges = new Map()
    for (const [l, n] of byLine) ranges.set(Math.floor(l / 20) * 20, (ranges.get(Math.floor(l / 20) * 20) ?? 0) + n)
    for (const [l, n] of [...ranges].sort((a, b) => a[0] - b[0])) console.log(`${(n / 1000).toFixed(2).padStart(7)} kB  lines ${l}-${l + 19}`)
  }
  console.log('\nby folder:')
  for (const [d, n] of [...dirs].sort((a, b) => b[1] - a[1])) console.log(`${(n / 1000).toFixed(2).padStart(7)} kB  ${d}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

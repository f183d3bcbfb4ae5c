import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { rolldown } from 'rolldown'
const root = process.cwd()
const dir = '/tmp/b4/out'
rmSync(dir, { recursive: true, force: true }); mkdirSync(join(dir, 'node_modules'), { recursive: true })
symlinkSync(root, join(dir, 'node_modules', 'emkit'), 'dir')
writeFileSync(join(dir, 'entry.js'), "export { GaussianMixture } from 'emkit'\n")
const build = await rolldown({ input: join(dir, 'entry.js'), platform: 'browser', logLevel: 'silent', experimental: { resolveNewUrlToAsset: true } })
const { output } = await build.write({ dir: join(dir, 'dist'), format: 'esm', minify: true, entryFileNames: '[name].bundle.mjs' })
await build.close()
const chunks = output.filter((o) => o.type === 'chunk')
const entry = chunks.find((c) => c.isEntry)
const start = new Set([entry.fileName, ...entry.imports])
for (const c of chunks) if (start.has(c.fileName)) for (const i of c.imports) start.add(i)
const byFile = new Map(chunks.map((c) => [c.fileName, c]))
const fit = new Set([...start, ...chunks.filter((c) => c.name === 'wasm' || c.name === 'start').map((c) => c.fileName)])
for (const f of fit) for (const i of byFile.get(f).imports) fit.add(i)
const len = (s) => [...s].reduce((a, f) => a + byFile.get(f).code.length, 0)
console.log('start', len(start), 'fit', len(fit), 'chunks in fit', fit.size)
for (const f of fit) console.log(f, byFile.get(f).code.length, 'modules:', Object.keys(byFile.get(f).modules).map(m=>m.replace(/.*dist\/src\//,'')).join(' '))
writeFileSync('/tmp/b4/fitfiles.json', JSON.stringify([...fit]))

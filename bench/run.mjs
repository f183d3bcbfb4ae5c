// Runs every bench/*.bench.mjs suite (or those named exactly on the command line) in order.
// Each suite exports `run()` that prints its own table; build first (`npm run bench` does).
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv.slice(2)
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.mjs', '')))
  .sort()
const unknown = wanted.filter((w) => !suites.includes(`${w}.bench.mjs`))
if (unknown.length > 0) throw new Error(`no bench suite named ${unknown.join(', ')}`)
for (const file of suites) {
  console.log(`\n## ${file.replace('.bench.mjs', '')}\n`)
  const suite = await import(pathToFileURL(here + file).href)
  await suite.run()
}

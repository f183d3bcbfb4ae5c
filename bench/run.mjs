// Runs every bench/*.bench.mjs suite (or those named on the command line) in order.
// Each suite exports `run()` that prints its own table; build first (`npm run bench` does).
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv.slice(2)
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort()
for (const file of suites) {
  console.log(`\n## ${file.replace('.bench.mjs', '')}\n`)
  const suite = await import(pathToFileURL(here + file).href)
  await suite.run()
}

#!/usr/bin/env node
/** The `emkit` command: Node's file system and process around run(). */
import { readFileSync, writeFileSync } from 'node:fs'
import { run } from './run.js'

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
})
process.exitCode = code

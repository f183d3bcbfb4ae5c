#!/usr/bin/env node
/** The `emkit` command: Node's file system and process around run(). */
import { readFileSync, writeFileSync } from 'node:fs'
import { run } from './run.js'

// `emkit fit | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // '-' is standard input (file descriptor 0).
  readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
})
process.exitCode = code

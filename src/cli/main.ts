#!/usr/bin/env node
/** The `emkit` command: Node's file system and process around run(). */
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { run } from './run.js'

// `emkit fit | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})

/**
 * A file (or standard input) as text chunks, decoded as they arrive: a large CSV is never
 * held whole. Decoded 1 MB strings are large objects V8 frees late (they held ~60 MB of a
 * 50 MB read). A file is read 16 kB at a time: the chunk being parsed is what survives
 * each young-generation collection of the parse, and at the stream default (64 kB) that
 * survival grew V8's new space to its largest (32 MB), at 16 kB it stays at 8 MB (a 50 MB
 * CSV of 2-decimal values parsed at 164 -> 137 MB of peak RSS, full doubles 88 -> 80 MB;
 * 8 kB gained nothing more). Standard input keeps Node's own stream.
 */
const FILE_CHUNK_BYTES = 16 * 1024

async function* chunks(stream: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8')
  for await (const bytes of stream) yield decoder.decode(bytes as Uint8Array, { stream: true })
  const tail = decoder.decode()
  if (tail !== '') yield tail
}

function version(): string | undefined {
  try {
    // dist/src/cli/main.js -> the package root
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version
  } catch {
    return undefined
  }
}

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => chunks(path === '-' ? process.stdin : createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES })),
  writeFile: (path, text) => writeFileSync(path, text),
  writeChunks: (path, chunks) => {
    const fd = openSync(path, 'w')
    try {
      for (const chunk of chunks) writeSync(fd, chunk)
    } finally {
      closeSync(fd)
    }
  },
  fileSize: (path) => {
    try {
      const stat = path === '-' ? fstatSync(0) : statSync(path)
      return stat.isFile() ? stat.size : undefined
    } catch {
      return undefined // the read reports it
    }
  },
  stderrIsTTY: process.stderr.isTTY === true,
  version: version(),
})
process.exitCode = code

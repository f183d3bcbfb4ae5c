/** What the command touches outside itself: injected so tests need no processes or files. */
export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  /** The text of a file, whole or as chunks in order (e.g. a decoded stream); the path '-' means standard input. */
  readFile(path: string): string | Iterable<string> | AsyncIterable<string>
  writeFile(path: string, text: string): void
  /** A file written chunk by chunk as they are made (large labels files); default: writeFile of the chunks joined. */
  writeChunks?(path: string, chunks: Iterable<string>): void
  /** The size of a file in bytes when it is known ('-': standard input, when it is a file); sizes the numbers' array once. */
  fileSize?(path: string): number | undefined
  /** Whether stderr is a terminal: the progress line is drawn only there (default false). */
  readonly stderrIsTTY?: boolean
  /** Milliseconds, for pacing the progress line (default Date.now). */
  now?(): number
  /** What --version prints (default: unknown). */
  readonly version?: string
}

/** The whole text of a file given as chunks (a saved model, which is small). */
export async function readText(chunks: string | Iterable<string> | AsyncIterable<string>): Promise<string> {
  if (typeof chunks === 'string') return chunks
  let text = ''
  for await (const chunk of chunks) text += chunk
  return text
}

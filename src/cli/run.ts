/** The `emkit` command without its process: arguments in, text out, an exit status back. */
import { EmkitError } from '../core/errors.js'
import { closest } from '../core/options.js'
import { type Command, HELP, parseFitArgs, UsageError } from './args.js'
import { dataWarnings, FileError, loadData } from './data.js'
import type { CliIO } from './io.js'
import { Session } from './session.js'

export type { CliIO } from './io.js'

const COMMANDS: readonly Command[] = ['fit', 'hmm']

/** Run `emkit` with `argv` (without the node and script paths); resolves to the exit status. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let session: Session | null = null
  try {
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout(HELP)
      return 0
    }
    if (argv[0] === '--version') {
      io.stdout(`emkit ${io.version ?? '(version unknown)'}\n`)
      return 0
    }
    if (argv.length === 0) {
      io.stderr(`emkit: missing command\n\n${HELP}`)
      return 2
    }
    const command = argv[0] as Command
    if (!COMMANDS.includes(command)) {
      const near = closest(command, COMMANDS)
      throw new UsageError(`unknown command '${argv[0]}' (${near ? `did you mean ${near}? ` : ''}the commands are fit and hmm; see emkit --help)`)
    }
    const args = parseFitArgs(argv.slice(1), command)
    if (args.help) { io.stdout(HELP); return 0 }
    session = new Session(io, args.quiet)
    if (args.predict) {
      await (await import('./predict.js')).predictCommand(args, session)
      return 0
    }
    if (args.stream || args.online) {
      await (await import('./stream.js')).fitStreamed(args, io, session)
      session.progress.clear()
      return 0
    }
    const loaded = await loadData(args.file, args.columns, io, args.backend)
    if (loaded.release) session.onClose(loaded.release)
    const { data, columns, source } = loaded
    const missing = countMissing(data.data)
    const notes = [
      missing > 0 ? `${missing} missing value${missing === 1 ? '' : 's'}` : '',
      loaded.hasRowNames ? 'row names skipped' : '',
    ].filter((t) => t !== '')
    session.out(`Data: ${source} (${data.rows} rows x ${data.cols} column${data.cols === 1 ? '' : 's'}${columns ? `: ${columns.join(', ')}` : ''})${notes.map((t) => `, ${t}`).join('')}\n\n`)
    for (const w of dataWarnings(data, columns)) session.warn(w)
    if (command === 'hmm') await (await import('./hmm.js')).fitHmm(args, loaded, session)
    else await (await import('./fit.js')).fitMixture(args, loaded, session)
    session.progress.clear()
    return 0
  } catch (e) {
    session?.progress.clear()
    if (e instanceof UsageError) {
      io.stderr(`emkit: ${e.message}\n`)
      return 2
    }
    if (e instanceof EmkitError) {
      io.stderr(`emkit: ${e.message} [${e.code}]\n${hintFor(e, argv)}`)
      return 1
    }
    if (e instanceof FileError) {
      io.stderr(`emkit: ${e.message}\n`)
      return 1
    }
    // A bug: say so plainly, with the stack, rather than crash with an unhandled rejection.
    const err = e as Error
    io.stderr(`emkit: unexpected error: ${err?.stack ?? String(e)}\nPlease report this with the command line and the data.\n`)
    return 1
  } finally {
    session?.close()
  }
}

function countMissing(x: Float64Array): number {
  let n = 0
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) n++
  return n
}

/** A concrete next step for errors where the command line can fix it. */
function hintFor(e: EmkitError, argv: readonly string[]): string {
  const numeric = e.details['numericColumns']
  if (e.code === 'PARSE_ERROR' && Array.isArray(numeric) && numeric.length > 0 && !argv.includes('--columns') && !argv.some((a) => a.startsWith('--columns='))) {
    const list = numeric.map((c) => (typeof c === 'number' ? String(c + 1) : c.includes(',') ? `'${c}'` : c)).join(',')
    return `emkit: to fit the numeric columns only, add --columns ${list}\n`
  }
  return ''
}

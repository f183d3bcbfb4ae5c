/** The built command as a process: --version from package.json, a CSV from a file and from standard input, exit statuses. */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/static-server.js'

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')
const FAITHFUL = join(REPO_ROOT, 'test', 'fixtures', 'data', 'faithful.csv')
const emkit = (args: string[], input?: string) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) })

describe('dist/src/cli/main.js', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
    const r = emkit(['--version'])
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(`emkit ${version}\n`)
  })

  it('reads a CSV file as it streams, and the same CSV from standard input, to the same fit; no progress line off a terminal', () => {
    const file = emkit(['fit', FAITHFUL, '--k', '2', '--covariance', 'full'])
    const stdin = emkit(['fit', '-', '--k', '2', '--covariance', 'full'], readFileSync(FAITHFUL, 'utf8'))
    expect(file.status, file.stderr).toBe(0)
    expect(stdin.status, stdin.stderr).toBe(0)
    expect(file.stdout).toContain('(272 rows x 2 columns: eruptions, waiting)')
    expect(stdin.stdout.replace('standard input', FAITHFUL)).toBe(file.stdout)
    expect(file.stderr).toBe('')
  })

  it('exit status 1 for a missing file, 2 for a usage error', () => {
    const missing = emkit(['fit', join(REPO_ROOT, 'no-such.csv')])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/^emkit: cannot read .*no-such\.csv: ENOENT/)
    const usage = emkit(['fit', '--k', 'x'])
    expect(usage.status).toBe(2)
    expect(usage.stderr).toMatch(/^emkit: --k takes a number, a range or a list/)
  })
})

/**
 * `emkit fit FILE --stream | --online`: exact EM re-reading the file equals the fit in
 * memory from the same start; one pass of online EM; the flags' combinations refused
 * with what to do instead.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseFitArgs } from '../../src/cli/args.js'
import { run, type CliIO } from '../../src/cli/run.js'
import { fromCsvStream, GaussianMixture } from '../../src/index.js'

const csv = readFileSync(new URL('../fixtures/data/synth_gmm_n5000_d5_k4.csv', import.meta.url), 'utf8')

function fakeIO(files: Record<string, string>) {
  const out: string[] = [], err: string[] = [], written: Record<string, string> = {}
  let reads = 0
  const io: CliIO = {
    stdout: (t) => { out.push(t) },
    stderr: (t) => { err.push(t) },
    // the file in pieces of 10 kB, as a stream gives it
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file '${p}'`)
      reads++
      const text = files[p]!
      return Array.from({ length: Math.ceil(text.length / 10000) }, (_, i) => text.slice(i * 10000, i * 10000 + 10000))
    },
    writeFile: (p, t) => { written[p] = t },
  }
  return { io, out: () => out.join(''), err: () => err.join(''), written, reads: () => reads }
}

describe('emkit fit --stream / --online', () => {
  it('--stream: exact EM, the file read once per iteration plus two; the same model as the library\'s stream fit', async () => {
    const f = fakeIO({ 'synth.csv': csv })
    expect(await run(['fit', 'synth.csv', '--stream', '--k', '4', '--chunk-rows', '800', '--json', 'out.json', '--tol', '1e-4'], f.io)).toBe(0)
    const json = JSON.parse(f.written['out.json']!)
    expect(json.rows).toBe(5000)
    expect(json.mode).toBe('stream')
    expect(f.reads()).toBe(json.model.nIter + 2)
    expect(json.chunks).toBeGreaterThan(5)
    expect(f.out()).toMatch(/exact EM over the stream: \d+ passes/)
    const g = await new GaussianMixture({ nComponents: 4, seed: 0, tol: 1e-4, maxIter: 200, nInit: 1 }).fit(() => fromCsvStream(f.io.readFile('synth.csv') as string[], { chunkRows: 800 }))
    expect(json.model.history).toEqual(g.history)
    expect(json.model.means).toEqual(g.means)
  })

  it("--stream and --online skip R's row names as the fit in memory does (by position and by name), text names included", async () => {
    const lines = csv.trim().split('\n')
    const body = lines.slice(1, 1201)
    const indexNamed = ['"",' + lines[0]!, ...body.map((l, i) => `"${i + 1}",${l}`)].join('\n') + '\n'
    const textNamed = ['"",' + lines[0]!, ...body.map((l, i) => `"r${i}",${l}`)].join('\n') + '\n'
    const plain = [lines[0]!, ...body].join('\n') + '\n'
    const fit = async (file: string, text: string, mode: string, columns: string, chunkRows: string) => {
      const f = fakeIO({ [file]: text })
      expect(await run(['fit', file, mode, '--k', '2', '--columns', columns, '--chunk-rows', chunkRows, '--json', 'o.json', '--tol', '1e-3'], f.io), f.err()).toBe(0)
      return JSON.parse(f.written['o.json']!)
    }
    const header = lines[0]!.split(',').map((c) => c.replace(/"/g, ''))
    for (const mode of ['--stream', '--online']) {
      // one chunk: the same rows as the file without names, so the same fit
      const reference = await fit('plain.csv', plain, mode, '1,3', '5000')
      expect(reference.columns).toEqual([header[0], header[2]])
      for (const [name, text] of [['index.csv', indexNamed], ['text.csv', textNamed]]) {
        for (const columns of ['1,3', `${header[0]},${header[2]}`]) {
          const json = await fit(name!, text!, mode, columns, '5000')
          expect(json.columns, `${name} ${mode} --columns ${columns}`).toEqual(reference.columns)
          expect(json.model.means).toEqual(reference.model.means)
          // in chunks: the names checked across chunk boundaries, every row read
          const chunked = await fit(name!, text!, mode, columns, '300')
          expect([chunked.columns, chunked.rows, chunked.chunks > 3]).toEqual([reference.columns, 1200, true])
        }
      }
    }
  })

  it('--stream and --online warn of a constant column and of more parameters than rows, as the fit in memory does', async () => {
    const text = 'a,b,c\n1,5,2\n2,5,3\n3,5,1\n4,5,7\n5,5,2\n6,5,9\n'
    const inMemory = fakeIO({ 'c.csv': text })
    expect(await run(['fit', 'c.csv', '--k', '2', '--covariance', 'full'], inMemory.io)).toBe(0)
    const warnings = inMemory.err().split('\n').filter((l) => l.startsWith('emkit: warning:'))
    expect(warnings).toHaveLength(2)
    for (const mode of ['--stream', '--online']) {
      const f = fakeIO({ 'c.csv': text })
      expect(await run(['fit', 'c.csv', mode, '--k', '2', '--chunk-rows', '2'], f.io)).toBe(0)
      expect(f.err().split('\n').filter((l) => l.startsWith('emkit: warning:')), mode).toEqual(warnings)
    }
  })

  it('--stream with --models one name fits that model', async () => {
    const f = fakeIO({ 'synth.csv': csv })
    expect(await run(['fit', 'synth.csv', '--stream', '--k', '2', '--models', 'EII', '--chunk-rows', '1000', '--json', 'out.json', '--tol', '1e-3'], f.io)).toBe(0)
    expect(JSON.parse(f.written['out.json']!).model.covarianceType).toBe('EII')
    expect(f.out()).toContain("covariance 'EII'")
  })

  it('--online: one pass, chunk by chunk; the model saved', async () => {
    const f = fakeIO({ 'synth.csv': csv })
    expect(await run(['fit', 'synth.csv', '--online', '--k', '4', '--chunk-rows', '500', '--save', 'm.json', '--json', 'o.json'], f.io)).toBe(0)
    expect(f.reads()).toBe(1)
    expect(f.out()).toContain('online EM, one pass: 5000 rows')
    expect(JSON.parse(f.written['o.json']!).model.nSeen).toBe(5000)
    expect(JSON.parse(f.written['m.json']!).kind).toBe('GaussianMixture')
  })

  it('refused combinations say what to do', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--stream'], /give the file/],
      [['-', '--stream', '--k', '2'], /standard input cannot/],
      [['f.csv', '--stream'], /--k one number/],
      [['f.csv', '--stream', '--online', '--k', '2'], /exclude each other/],
      [['f.csv', '--stream', '--k', '2', '--svg', 'p.svg'], /--svg needs every row/],
      [['f.csv', '--chunk-rows', '10'], /add one of them/],
      [['f.csv', '--online', '--k', '2', '--chunk-rows', '0'], /--chunk-rows takes an integer >= 1/],
      [['f.csv', '--stream', '--k', '2', '--models', 'EII,VVV'], /give --models one name/],
      [['f.csv', '--online', '--k', '2', '--se'], /--se computes the observed information on every row/],
    ]
    for (const [argv, message] of cases) expect(() => parseFitArgs(argv), argv.join(' ')).toThrow(message)
    expect(() => parseFitArgs(['f.csv', '--stream', '--k', '2'], 'hmm')).toThrow(/emkit fit/)
  })

  it('a bad value in the file: exit 1 with the line, as a fit in memory', async () => {
    const f = fakeIO({ 'bad.csv': 'a,b\n1,2\n3,4\n5,x\n' })
    expect(await run(['fit', 'bad.csv', '--stream', '--k', '1'], f.io)).toBe(1)
    expect(f.err()).toMatch(/line 4/)
    expect(await run(['fit', 'missing.csv', '--online', '--k', '1'], f.io)).toBe(1)
    expect(f.err()).toMatch(/cannot read missing.csv/)
  })
})

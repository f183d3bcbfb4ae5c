/** `--predict`: label new data with a model saved by --save (nothing is fitted). */
import { ModelFormatError, OptionError } from '../core/errors.js'
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { GaussianHMM } from '../estimators/hmm/GaussianHMM.js'
import { loadModel } from '../registry/load.js'
import type { FitArgs } from './args.js'
import { FileError, loadData } from './data.js'
import { labelsOf, mixtureSvg } from './fit.js'
import { compactPath, hmmLabelsOf, statesSvg } from './hmm.js'
import { readText } from './io.js'
import type { Session } from './session.js'

export async function predictCommand(args: FitArgs, s: Session): Promise<void> {
  const path = args.model!
  let text: string
  try {
    text = await readText(s.io.readFile(path))
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${(e as Error).message}`)
  }
  const model = await loadModel(text)
  const want = args.command === 'hmm' ? GaussianHMM : GaussianMixture
  if (!(model instanceof want)) {
    const kind = (model as { kind?: string }).kind ?? 'another estimator'
    throw new ModelFormatError('INVALID_MODEL', `${path} holds a ${kind}, not a ${want.kind}: ${kind === 'GaussianHMM' ? "use 'emkit hmm --predict'" : kind === 'GaussianMixture' ? "use 'emkit fit --predict'" : 'emkit predicts with GaussianMixture and GaussianHMM models'}.`, { kind })
  }
  if (!model.isFitted) throw new ModelFormatError('INVALID_MODEL', `${path} holds an unfitted ${want.kind}: save a fitted model with --save.`)
  // The columns the model was fitted to, by name, unless --columns says otherwise.
  const saved = savedColumns(text)
  const loaded = await loadData(args.file, args.columns ?? saved, s.io, args.backend).catch((e: unknown) => {
    if (args.columns === null && saved && e instanceof OptionError && /no header row/.test(e.message)) {
      throw new OptionError('columns', `the model was fitted to the columns ${saved.join(', ')}, but this CSV has no header to find them by: give --columns by position (e.g. --columns ${saved.map((_, j) => j + 1).join(',')}).`)
    }
    throw e
  })
  if (loaded.release) s.onClose(loaded.release)
  s.note(`labelling ${loaded.data.rows} rows of ${loaded.source} with the ${want.kind} in ${path}`)
  if (model instanceof GaussianMixture) {
    model.withPosteriorBlocks(loaded.data, (post) => writeOutputs(args, s, labelsOf(model, loaded.data, loaded, post), () => mixtureSvg(model, loaded.data, loaded.columns, loaded.source, { logLik: model.score(loaded.data) * loaded.data.rows, bic: model.bic(loaded.data), aic: model.aic(loaded.data) })))
    return
  }
  // an HMM: Viterbi once, and the posteriors a block of steps at a time in time order
  // for the labels and for the plot, as `emkit hmm` writes them
  const hmm = model as GaussianHMM
  const states = compactPath(hmm, loaded.data)
  hmm.withPosteriorBlocks(loaded.data, (post) => {
    writeOutputs(args, s, hmmLabelsOf(hmm, loaded.data, loaded, states, post), () => statesSvg(hmm, loaded.data, loaded, states, post))
  })
}

/** The labels (to --labels, else stdout), then the plot (--svg). */
function writeOutputs(args: FitArgs, s: Session, labels: Iterable<string>, plot: () => string | Iterable<string>): void {
  if (args.labels) s.write(args.labels, labels, 'Labels')
  else for (const chunk of labels) s.out(chunk)
  if (args.svg) s.write(args.svg, plot(), args.labels ? 'Plot' : null)
}

/** The column names --save wrote beside the model, when it wrote them. */
function savedColumns(text: string): string[] | null {
  const columns = (JSON.parse(text) as { columns?: unknown }).columns
  return Array.isArray(columns) && columns.length > 0 && columns.every((c) => typeof c === 'string') ? columns : null
}

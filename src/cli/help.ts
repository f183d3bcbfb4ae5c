/** The text of `emkit --help`: every command and option, what it writes, and the exit statuses. */
export const HELP = `emkit: Gaussian mixtures and hidden Markov models fitted by EM (scikit-learn's
semantics, WebAssembly speed)

Usage:
  emkit fit [file.csv | -] [options]      Gaussian mixture
  emkit hmm [file.csv | -] [options]      Gaussian hidden Markov model (rows = time steps)
  emkit --help | --version

Data: without a file, the embedded Old Faithful data (R datasets::faithful: 272
eruptions, columns eruptions and waiting, in minutes); '-' reads the CSV from
standard input. The file is read as it streams in. A CSV may have a header row
(detected); the delimiter (, ; or tab) is detected; quoted fields and blank lines
are fine. NA, NaN and empty cells are missing values: 'fit' fits the rows with what
they have observed. R's row names (a first column with an empty or no header holding
distinct names or 1..n) are skipped. Every fitted column must be numeric: a text
column is an error naming it (drop it, encode it, or pick the numeric columns with
--columns). A constant column, or a model with more parameters than rows, is warned
about on stderr.

fit: without --k and --covariance, emkit fits K = 1..6 x the four covariance types,
prints the BIC table (scikit-learn's sign: -2 log-likelihood + parameters x log n,
smaller is better; * marks the best) and keeps the best model. Either flag fixes
that dimension of the search; a single K and a covariance type fit one model.
Then it prints the model: K, covariance type, weights, means, covariances,
log-likelihood, BIC, AIC, iterations and status.

hmm: one sequence, the rows in time order; K by BIC over --k (default 1..6), one
covariance type (default diag, hmmlearn's). It prints the start and transition
probabilities, the means and covariances, and how many rows the Viterbi path puts
in each state.

Options:
  --k K              components (hmm: states): 3, a range 1-9, or a list 2,3,5;
                     several are searched (default 1..6)
  --covariance T     full | diag | spherical | tied, or an mclust model name
                     (fit default: searched; hmm: diag, scikit-learn's names only)
  --models LIST      fit: the covariance models searched, mclust's names (EII, VII,
                     EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV) or
                     scikit-learn's, comma-separated, or all (mclust's 14)
  --criterion C      bic | icl: what picks the model of a search (default bic;
                     icl is mclust's ICL, BIC plus the cost of the classification)
  --columns LIST     CSV columns to fit, by header name or 1-based number,
                     comma-separated (default: all)
  --labels FILE      write a CSV: row (or row name), label, the probability of each
                     component (hmm: state) and uncertainty = 1 - largest probability
                     (mclust's); labels count from 1; hmm labels are the Viterbi path
  --svg FILE         write a plot. fit: 1 or 2 columns: points coloured by component,
                     1- and 2-sigma ellipses and the log-likelihood per iteration;
                     more columns: a scatter matrix of every pair with the ellipses.
                     hmm: the series coloured by Viterbi state, each state's
                     posterior probability beneath
  --bic-svg FILE     write the BIC (and ICL) curves of a search against K
  --json FILE        write the fitted parameters and the search table as JSON
  --save FILE        save the fitted model (emkit's model JSON, read by loadModel)
  --model FILE       with --predict: a model saved by --save
  --predict          label the data with the --model instead of fitting: the labels
                     CSV goes to --labels FILE, or to stdout
  --se               fit: print each parameter's estimate with its standard error
                     (observed information; a mixture's free weights are the first
                     K - 1, each covariance entry once)
  --se-method M      sem (default: supplemented EM) | hessian (numerical Hessian) |
                     louis (Louis's complete minus missing information); implies --se
  --seed N           seed of the random starts (default 0)
  --n-init N         k-means++ starts per model, the best kept (default 5)
  --max-iter N       EM iterations per start (default fit 200, hmm 100)
  --tol X            stop when the mean log-likelihood per row changes by less
                     than X (default fit 1e-6, hmm 1e-4)
  --reg-covar X      added to covariance diagonals (default 1e-6)
  --backend B        wasm | wasm-scalar | js (default wasm: SIMD where supported)
  -q, --quiet        no progress line (it is drawn on stderr when that is a terminal)
  --stream           fit: exact EM over a file larger than memory, read again at every
                     iteration (one chunk of rows and the statistics in memory); needs
                     one --k, a file path; no plot or labels (they need the rows)
  --online           fit: one pass of online EM over the file (or standard input)
  --chunk-rows N     rows per chunk with --stream / --online (default 65536)
  -h, --help         this text
  --version          the version of emkit

Examples:
  emkit fit                                  # Old Faithful, K and covariance by BIC
  emkit fit --k 2 --covariance full --svg faithful.svg
  emkit fit --k 1-9 --models all --criterion icl  # mclust's 14 models by ICL
  emkit fit iris.csv --columns 1,2,3,4 --k 1-9 --bic-svg bic.svg --svg pairs.svg
  emkit fit train.csv --k 3 --covariance full --save model.json --labels train-labels.csv
  emkit fit new.csv --model model.json --predict > new-labels.csv
  emkit hmm returns.csv --k 3 --svg states.svg --labels states.csv

Exit status: 0 on success, 1 when the data or the fit fail (message and error
code on stderr), 2 for a usage error.
`

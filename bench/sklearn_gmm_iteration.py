# scikit-learn's side of bench/peer-gmm.bench.mjs: time of one full-covariance EM
# iteration as (fit(max_iter=11) - fit(max_iter=1)) / 10 from the same start as emkit.
# usage: OMP_NUM_THREADS=1 python3 sklearn_gmm_iteration.py <data.f64> <start.json> <n> <d> <repeats>
import json, sys, time, warnings
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

warnings.simplefilter('ignore', ConvergenceWarning)
path, start_path, n, d, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(path, dtype='<f8').reshape(n, d)
start = json.load(open(start_path))
w, m, c = np.array(start['weights']), np.array(start['means']), np.array(start['covariances'])
p = np.linalg.inv(c)


def fit(iters):
    gm = GaussianMixture(len(w), covariance_type='full', max_iter=iters, tol=0, reg_covar=1e-6,
                         weights_init=w, means_init=m, precisions_init=p)
    t, c = time.perf_counter(), time.process_time()
    gm.fit(X)
    return time.perf_counter() - t, time.process_time() - c


# per repeat: [wall ms, CPU ms] of one iteration (the CPU time is what the process
# itself used, less disturbed than the wall time when other processes share the cores)
out = []
for _ in range(repeats):
    (w11, c11), (w1, c1) = fit(11), fit(1)
    out.append([(w11 - w1) / 10 * 1000, (c11 - c1) / 10 * 1000])
print(json.dumps(out))

"""scikit-learn's LatentDirichletAllocation per batch iteration on the corpus bench/lda.bench.mjs
writes: (fit(m) - fit(1)) / (m - 1), wall and process CPU time, printed as JSON."""
import json, sys, time
import numpy as np, scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation

path, m = sys.argv[1], int(sys.argv[2])
t = np.loadtxt(path, delimiter=',', skiprows=1, dtype=np.int64)
X = sp.csr_matrix((t[:, 2].astype(float), (t[:, 0], t[:, 1])), shape=(20000, 5000))

def timed(max_iter):
    w, c = time.perf_counter(), time.process_time()
    LatentDirichletAllocation(n_components=20, max_iter=max_iter, learning_method='batch', random_state=0).fit(X)
    return time.perf_counter() - w, time.process_time() - c

w1, c1 = timed(1)
wm, cm = timed(m)
print(json.dumps({'wall': (wm - w1) / (m - 1) * 1000, 'cpu': (cm - c1) / (m - 1) * 1000}))

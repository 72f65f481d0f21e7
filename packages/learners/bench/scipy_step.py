"""One zero-nudge training step (all samples, all states) in NumPy/SciPy, for comparison.

Reads a benchmark circuit JSON (bench/circuits.mjs), and times, per step:
build the Laplacian from the conductances, factor the free-node block with scipy.sparse.linalg.splu
(SuperLU, MMD_AT_PLUS_A ordering, symmetric mode), solve the free states of all samples as one block of right-hand sides,
then the clamped states (EP: current t - y^f injected at outputs; CL: a second factorization with
the outputs also held, outputs at t - y^f), and the per-edge contrast mean_s dv^f dvh.
Prints JSON {"rule", "ms": [...], "median_ms"}.
Usage: python3 scipy_step.py circuit.json ep|cl reps
"""
import json, sys, time
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

# The fairest SuperLU setting for a symmetric positive definite block: symmetric minimum-degree
# ordering on A^T + A, diagonal pivots (COLAMD, the default, gave 4x the fill on ER n=1e4).
SPLU = dict(permc_spec='MMD_AT_PLUS_A', diag_pivot_thresh=0.0, options=dict(SymmetricMode=True))


def laplacian(n, f, t, k):
    rows = np.concatenate([f, t, f, t])
    cols = np.concatenate([f, t, t, f])
    vals = np.concatenate([k, k, -k, -k])
    return sp.csc_matrix((vals, (rows, cols)), shape=(n, n))


def step(c, rule):
    n = c['nodeCount']
    f = np.asarray(c['edgeFrom']); t = np.asarray(c['edgeTo']); k = np.asarray(c['conductances'])
    inp = np.asarray(c['inputNodes']); out = np.asarray(c['outputNodes'])
    U = np.asarray(c['sampleInputs']).T  # nIn x S
    T = np.asarray(c['sampleTargets']).T  # p x S
    S = U.shape[1]
    L = laplacian(n, f, t, k)
    free = np.setdiff1d(np.arange(n), inp)
    LFF = L[free][:, free].tocsc()
    LFI = L[free][:, inp]
    lu = splu(LFF, **SPLU)
    X = np.zeros((n, S))
    X[inp] = U
    X[free] = lu.solve(-(LFI @ U))
    Y = X[out]
    E = T - Y  # t - y^f
    Xh = np.zeros((n, S))
    if rule == 'ep':
        pos = np.searchsorted(free, out)
        B = np.zeros((free.size, S)); B[pos] = E
        Xh[free] = lu.solve(B)
    else:
        held = np.concatenate([inp, out])
        free2 = np.setdiff1d(np.arange(n), held)
        lu2 = splu(L[free2][:, free2].tocsc(), **SPLU)
        Xh[out] = E
        Xh[free2] = lu2.solve(-(L[free2][:, out] @ E))
    dv = X[f] - X[t]
    dvh = Xh[f] - Xh[t]
    return (dv * dvh).mean(axis=1)


def main():
    c = json.load(open(sys.argv[1]))
    rule = sys.argv[2]
    reps = int(sys.argv[3])
    ms = []
    g = None
    for _ in range(reps):
        t0 = time.perf_counter()
        g = step(c, rule)
        ms.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({'rule': rule, 'ms': ms, 'median_ms': float(np.median(ms)), 'contrast_head': g[:4].tolist()}))


if __name__ == '__main__':
    main()

"""One zero-nudge training step (all samples, all states) in NumPy/SciPy, for comparison.

Reads a benchmark circuit JSON (bench/circuits.mjs) and times, per step: build the Laplacian from
the conductances, factor the free-node block with scipy.sparse.linalg.splu (SuperLU, symmetric
MMD_AT_PLUS_A ordering, diagonal pivots), all samples as one block of right-hand sides, then the
per-edge contrast mean_s dv^0 dvh. Two ways to get the states, as in @ohmlab/learners:
- response: ONE factorization (inputs held); free states and the p unit-current output responses
  Z in one block solve; G = Z[O], D = G^-1; clamped states Z c with c = e (EP), D e (CL), D mu (AL),
  AL reference x^f + Z D e (e = t - y^f, mu = D e);
- direct: EP clamped on the same factorization (second block solve); CL and AL on a second
  factorization with the outputs also held.
Prints JSON {"rule", "strategy", "ms": [...], "median_ms", "contrast_head"}.
Usage: python3 scipy_step.py circuit.json ep|cl|al reps response|direct
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


def held_solve(L, n, held, values):
    """States with the nodes `held` at `values` (len(held) x S), KCL elsewhere: new factorization."""
    free = np.setdiff1d(np.arange(n), held)
    lu = splu(L[free][:, free].tocsc(), **SPLU)
    X = np.zeros((n, values.shape[1]))
    X[held] = values
    X[free] = lu.solve(-(L[free][:, held] @ values))
    return X


def step(c, rule, strategy):
    n = c['nodeCount']
    f = np.asarray(c['edgeFrom']); t = np.asarray(c['edgeTo']); k = np.asarray(c['conductances'])
    inp = np.asarray(c['inputNodes']); out = np.asarray(c['outputNodes'])
    U = np.asarray(c['sampleInputs']).T  # nIn x S
    T = np.asarray(c['sampleTargets']).T  # p x S
    S, p = U.shape[1], out.size
    L = laplacian(n, f, t, k)
    free = np.setdiff1d(np.arange(n), inp)
    LFF = L[free][:, free].tocsc()
    LFI = L[free][:, inp]
    pos = np.searchsorted(free, out)
    if strategy == 'response' or rule == 'ep' or rule == 'cl':
        lu = splu(LFF, **SPLU)
    X = np.zeros((n, S))
    X[inp] = U
    if strategy == 'response':
        B = np.zeros((free.size, S + p))
        B[:, :S] = -(LFI @ U)
        B[pos, S + np.arange(p)] = 1.0
        sol = lu.solve(B)
        X[free] = sol[:, :S]
        Z = np.zeros((n, p))
        Z[free] = sol[:, S:]
        D = np.linalg.inv(Z[out])
        E = T - X[out]
        if rule == 'al':
            mu = D @ E
            X = X + Z @ mu
            C = D @ mu
        else:
            C = E if rule == 'ep' else D @ E
        Xh = Z @ C
    elif rule == 'ep':
        X[free] = lu.solve(-(LFI @ U))
        B = np.zeros((free.size, S))
        B[pos] = T - X[out]
        Xh = np.zeros((n, S))
        Xh[free] = lu.solve(B)
    else:
        held = np.concatenate([inp, out])
        if rule == 'cl':
            X[free] = lu.solve(-(LFI @ U))
            Xh = held_solve(L, n, held, np.vstack([np.zeros_like(U), T - X[out]]))
        else:
            free2 = np.setdiff1d(np.arange(n), held)
            lu2 = splu(L[free2][:, free2].tocsc(), **SPLU)
            both = np.zeros((n, 2 * S))
            both[held, :S] = np.vstack([U, T])
            both[free2, :S] = lu2.solve(-(L[free2][:, held] @ both[held, :S]))
            mu = (L[out] @ both[:, :S])
            X = both[:, :S]
            Xh = np.zeros((n, S))
            Xh[out] = mu
            Xh[free2] = lu2.solve(-(L[free2][:, out] @ mu))
    dv = X[f] - X[t]
    dvh = Xh[f] - Xh[t]
    return (dv * dvh).mean(axis=1)


def main():
    c = json.load(open(sys.argv[1]))
    rule, reps = sys.argv[2], int(sys.argv[3])
    strategy = sys.argv[4] if len(sys.argv) > 4 else 'response'
    ms = []
    g = None  # no warm-up: nothing to compile (the Ohmlab side skips one step for the JIT)
    for _ in range(reps):
        t0 = time.perf_counter()
        g = step(c, rule, strategy)
        ms.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({'rule': rule, 'strategy': strategy, 'ms': ms, 'median_ms': float(np.median(ms)), 'min_ms': float(np.min(ms)), 'contrast_head': g[:4].tolist()}))


if __name__ == '__main__':
    main()

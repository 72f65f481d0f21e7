/**
 * The solver half of the fused training kernel (see fused-step.wgsl.ts for the constants,
 * bindings and accessors it relies on): LDL^T factor and float32 solves of one circuit's free
 * block in one workgroup, and the double-float iterative refinement of the states.
 */

/**
 * LDL^T of `L_FF` of system `sys` (0: Dirichlet = inputs, 1: inputs + outputs), assembled from the
 * step's conductances (float32 hi parts), packed rows; afterwards the diagonal holds `1 / d_k`.
 * Returns false (uniformly) on a pivot that is not positive (a node cut off, or float32 breakdown).
 */
export const fusedFactorWgsl = /* wgsl */ `
fn factorSystem(c: u32, lid: u32, sys: u32) -> bool {
  let nf = nfOf(sys);
  let rows = rowsOf(sys);
  for (var i = lid; i < nf; i = i + WG) {
    let base = at(i, 0u);
    for (var j = 0u; j <= i; j = j + 1u) { st(c, base + j, 0.0); }
    var diag = 0.0;
    for (var e = topo[rows + i]; e < topo[rows + i + 1u]; e = e + 1u) {
      let entry = rows + nf + 1u + 2u * e;
      let k = params[kI(c, topo[entry])];
      let other = topo[entry + 1u];
      diag = diag + k;
      if (other != NONE && other < i) { st(c, base + other, ld(c, base + other) - k); }
    }
    st(c, base + i, diag);
  }
  sync();
  var bad = 0u;
  for (var k = 0u; k < nf; k = k + 1u) {
    let dk = ld(c, at(k, k));
    if (!(dk > 0.0)) { bad = 1u; }
    let inv = 1.0 / dk;
    for (var i = k + 1u + lid; i < nf; i = i + WG) { st(c, at(i, k), ld(c, at(i, k)) * inv); }
    sync();
    for (var i = k + 1u + lid; i < nf; i = i + WG) {
      let lik = ld(c, at(i, k)) * dk;
      for (var j = k + 1u; j <= i; j = j + 1u) { st(c, at(i, j), ld(c, at(i, j)) - lik * ld(c, at(j, k))); }
    }
    sync();
  }
  for (var k = lid; k < nf; k = k + WG) { st(c, at(k, k), 1.0 / ld(c, at(k, k))); }
  if (lid == 0u) { wFlag = bad; }
  return workgroupUniformLoad(&wFlag) == 0u;
}

/** Solves L D L^T d = r in place for the S corrections of system sys (float32). */
fn solveCorrections(c: u32, lid: u32, sys: u32) {
  let nf = nfOf(sys);
  let cb = c * SCR + SC_CORR;
  for (var k = 0u; k + 1u < nf; k = k + 1u) {
    let rows = nf - k - 1u;
    for (var w = lid; w < S * rows; w = w + WG) {
      let s = w / rows;
      let i = k + 1u + w % rows;
      scratch[cb + s * nf + i] = scratch[cb + s * nf + i] - ld(c, at(i, k)) * scratch[cb + s * nf + k];
    }
    sync();
  }
  for (var w = lid; w < S * nf; w = w + WG) { scratch[cb + w] = scratch[cb + w] * ld(c, at(w % nf, w % nf)); }
  sync();
  for (var kk = 0u; kk + 1u < nf; kk = kk + 1u) {
    let k = nf - 1u - kk;
    for (var w = lid; w < S * k; w = w + WG) {
      let s = w / k;
      let i = w % k;
      scratch[cb + s * nf + i] = scratch[cb + s * nf + i] - ld(c, at(k, i)) * scratch[cb + s * nf + k];
    }
    sync();
  }
}
`;

/**
 * States: held values, injected currents, the scale of the relative residual, and the
 * double-float iterative refinement (residual in df32 from the edges, correction from the float32
 * factor, warm-started from the previous step's state).
 */
export const fusedStatesWgsl = /* wgsl */ `
fn isClamped(stt: u32) -> bool { return stt > 0u && NUDGE == 0u; }

/** Current injected at free node 'node' of state stt: EP nudged/clamped states only, at outputs. */
fn injection(c: u32, stt: u32, s: u32, node: u32) -> vec2<f32> {
  if (RULE != 0u || stt == 0u) { return vec2<f32>(0.0, 0.0); }
  let o = topo[T_OIDX + node];
  if (o == NONE) { return vec2<f32>(0.0, 0.0); }
  return dfMul(wOf(stt), getErr(c, s, o));
}

/** Held output voltage of state stt in system B. */
fn heldOutput(c: u32, stt: u32, s: u32, o: u32) -> vec2<f32> {
  if (stt == 0u) { return sampleTarget(s, o); }
  var anchor = vec2<f32>(0.0, 0.0);
  if (!isClamped(stt)) {
    if (RULE == 2u) { anchor = sampleTarget(s, o); } else { anchor = getV(vI(c, 0u, s, topo[T_OUT + o])); }
  }
  return dfAdd(anchor, dfMul(wOf(stt), getErr(c, s, o)));
}

fn prepareState(c: u32, lid: u32, stt: u32, sys: u32) {
  for (var w = lid; w < S * NIN; w = w + WG) {
    let s = w / NIN;
    let i = w % NIN;
    var v = vec2<f32>(0.0, 0.0);
    if (!isClamped(stt)) { v = sampleIn(s, i); }
    setV(vI(c, stt, s, topo[T_IN + i]), v);
  }
  if (sys == 1u) {
    for (var w = lid; w < S * P; w = w + WG) {
      let s = w / P;
      let o = w % P;
      setV(vI(c, stt, s, topo[T_OUT + o]), heldOutput(c, stt, s, o));
    }
  }
  sync();
  let nf = nfOf(sys);
  let free = freeOf(sys);
  let fidx = fidxOf(sys);
  for (var s = lid; s < S; s = s + WG) {
    var ss = 0.0;
    for (var q = 0u; q < nf; q = q + 1u) {
      let node = topo[free + q];
      let inj = injection(c, stt, s, node).x;
      var coupling = 0.0;
      for (var e = topo[T_NODESTART + node]; e < topo[T_NODESTART + node + 1u]; e = e + 1u) {
        let other = topo[T_ADJ + 2u * e + 1u];
        if (topo[fidx + other] == NONE) { coupling = coupling + params[kI(c, topo[T_ADJ + 2u * e])] * volts[vI(c, stt, s, other)]; }
      }
      ss = ss + inj * inj + coupling * coupling;
    }
    scratch[c * SCR + SC_SCALE + s] = sqrt(ss);
  }
  sync();
}

/** Refines state stt until every sample's relative residual is <= TOL; returns the worst (uniform). */
fn refineState(c: u32, lid: u32, stt: u32, sys: u32) -> f32 {
  let nf = nfOf(sys);
  let free = freeOf(sys);
  let cb = c * SCR + SC_CORR;
  var sweep = 0u;
  loop {
    for (var w = lid; w < S * nf; w = w + WG) {
      let s = w / nf;
      let node = topo[free + w % nf];
      var r = injection(c, stt, s, node);
      let vu = getV(vI(c, stt, s, node));
      for (var e = topo[T_NODESTART + node]; e < topo[T_NODESTART + node + 1u]; e = e + 1u) {
        let edge = topo[T_ADJ + 2u * e];
        let dv = dfSub(vu, getV(vI(c, stt, s, topo[T_ADJ + 2u * e + 1u])));
        r = dfSub(r, dfMul(getP(kI(c, edge)), dv));
      }
      scratch[cb + w] = r.x + r.y;
    }
    sync();
    var worst = 0.0;
    for (var s = lid; s < S; s = s + WG) {
      var ss = 0.0;
      for (var q = 0u; q < nf; q = q + 1u) { let x = scratch[cb + s * nf + q]; ss = ss + x * x; }
      let scale = scratch[c * SCR + SC_SCALE + s];
      let rel = select(sqrt(ss), sqrt(ss) / scale, scale > 0.0);
      worst = select(max(worst, rel), rel, rel != rel);
    }
    let m = wgMax(lid, worst);
    if (lid == 0u) { wRes = m; }
    let mr = workgroupUniformLoad(&wRes);
    if (mr <= TOL || sweep >= MAXSWEEPS) {
      if (lid == 0u) { wSweeps = wSweeps + sweep; }
      return mr;
    }
    solveCorrections(c, lid, sys);
    for (var w = lid; w < S * nf; w = w + WG) {
      let idx = vI(c, stt, w / nf, topo[free + w % nf]);
      setV(idx, dfAdd(getV(idx), vec2<f32>(scratch[cb + w], 0.0)));
    }
    sync();
    sweep = sweep + 1u;
  }
}

/** Error signal e per sample and output (EP/CL: t - y; AL: mu = (L x^r)_O); returns the base loss. */
fn errorSignal(c: u32, lid: u32) -> vec2<f32> {
  var acc = vec2<f32>(0.0, 0.0);
  for (var w = lid; w < S * P; w = w + WG) {
    let s = w / P;
    let o = w % P;
    let node = topo[T_OUT + o];
    let vo = getV(vI(c, 0u, s, node));
    var e = vec2<f32>(0.0, 0.0);
    if (RULE == 2u) {
      for (var a = topo[T_NODESTART + node]; a < topo[T_NODESTART + node + 1u]; a = a + 1u) {
        let dv = dfSub(vo, getV(vI(c, 0u, s, topo[T_ADJ + 2u * a + 1u])));
        e = dfAdd(e, dfMul(getP(kI(c, topo[T_ADJ + 2u * a])), dv));
      }
    } else {
      e = dfSub(sampleTarget(s, o), vo);
    }
    let ei = errI(c, s, o);
    scratch[ei] = e.x;
    scratch[ei + 1u] = e.y;
    acc = dfAdd(acc, dfMul(e, e));
  }
  sync();
  return dfMul(wgSum(lid, acc), u.lossScale);
}
`;


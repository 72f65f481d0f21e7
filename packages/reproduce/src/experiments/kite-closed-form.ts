/**
 * The output the ratio condition forces (paper 1, Sec. 6): `x_a = x_b = x_o = k1 / (k1 + k2)` with
 * the source at 1 V, so `t* = k1 / (k1 + k2)` at a base point on the non-coercive set. A hand
 * derivation used as an independent check of the solved output.
 */
export function kiteCriticalTarget(base: readonly number[]): number {
  return (base[0] as number) / ((base[0] as number) + (base[1] as number));
}

/**
 * Hand derivation of `|M|^2` for the kite (graph's `kite()`, one output, V = 1) at a point with
 * the ratio condition `k1/k2 = k3/k4`, used as an independent check of the computed coercivity:
 * free state `x_a = x_b = x_o = rho = k1/(k1+k2)`, so only the outer edges carry free drops
 * (`1 - rho` on s-a, s-b; `rho` on a-g, b-g). Unit current into o with s, g grounded splits over
 * the branches o-a-(s,g) and o-b-(s,g), of conductances `k5 ga / (k5 + ga)` and `k6 gb / (k6 + gb)`
 * (`ga = k1 + k2`, `gb = k3 + k4`), giving `x_a = Ia / ga`, `x_b = Ib / gb`. With
 * `M_j = dv^f_j dvh_j`: `|M|^2 = (x_a^2 + x_b^2)((1 - rho)^2 + rho^2)`.
 */
export function kiteMatrixNormSquared(k: readonly number[]): number {
  const [k1, k2, k3, k4, k5, k6] = k as [number, number, number, number, number, number];
  const rho = k1 / (k1 + k2);
  if (Math.abs(rho - k3 / (k3 + k4)) > 1e-12) throw new RangeError('kiteMatrixNormSquared needs the ratio condition k1/k2 = k3/k4');
  const ga = k1 + k2;
  const gb = k3 + k4;
  const ba = (k5 * ga) / (k5 + ga);
  const bb = (k6 * gb) / (k6 + gb);
  const xa = ba / (ba + bb) / ga;
  const xb = bb / (ba + bb) / gb;
  return (xa * xa + xb * xb) * ((1 - rho) ** 2 + rho ** 2);
}

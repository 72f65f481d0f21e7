/**
 * One step of the Dormand-Prince 5(4) embedded Runge-Kutta pair (Dormand & Prince 1980; FSAL),
 * for an autonomous system `y' = f(y)` whose right-hand side is asynchronous.
 */

const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
// error coefficients: 5th-order weights minus 4th-order weights
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
void C2; void C3; void C4; void C5;

/** Result of {@link dormandPrinceStep}. */
export interface DormandPrinceStep {
  /** 5th-order solution at `t + h`. */
  readonly y: Float64Array;
  /** `f(y)` at the new point (first stage of the next step, FSAL). */
  readonly fNew: Float64Array;
  /** Scaled RMS error estimate; the step is acceptable when <= 1. */
  readonly error: number;
}

/**
 * Takes one step of size `h` from `y` with `f0 = f(y)`. Error norm:
 * `sqrt(mean_i (err_i / (atol + rtol max(|y_i|, |y_new_i|)))^2)`.
 */
export async function dormandPrinceStep(
  f: (y: Float64Array) => Promise<Float64Array>,
  y: Float64Array,
  f0: Float64Array,
  h: number,
  rtol: number,
  atol: number,
): Promise<DormandPrinceStep> {
  const n = y.length;
  const tmp = new Float64Array(n);
  const stage = (fn: (i: number) => number): Float64Array => {
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * fn(i);
    return tmp.slice();
  };
  const k1 = f0;
  const k2 = await f(stage((i) => A21 * k1[i]!));
  const k3 = await f(stage((i) => A31 * k1[i]! + A32 * k2[i]!));
  const k4 = await f(stage((i) => A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!));
  const k5 = await f(stage((i) => A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!));
  const k6 = await f(stage((i) => A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!));
  const yNew = stage((i) => B1 * k1[i]! + B3 * k3[i]! + B4 * k4[i]! + B5 * k5[i]! + B6 * k6[i]!);
  const k7 = await f(yNew);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
    const sc = atol + rtol * Math.max(Math.abs(y[i]!), Math.abs(yNew[i]!));
    sum += (e / sc) ** 2;
  }
  return { y: yNew, fNew: k7, error: n > 0 ? Math.sqrt(sum / n) : 0 };
}

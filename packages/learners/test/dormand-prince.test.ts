import { describe, expect, it } from 'vitest';
import { dormandPrinceStep } from '../src/index.js';

// y' = A y with A = [[0, 1], [-1, 0]] (rotation): closed form cos/sin.
const f = async (y: Float64Array) => Float64Array.from([y[1]!, -y[0]!]);

async function integrate(n: number): Promise<number> {
  let y: Float64Array = Float64Array.from([1, 0]);
  let f0: Float64Array = await f(y);
  const h = 1 / n;
  for (let i = 0; i < n; i++) {
    const st = await dormandPrinceStep(f, y, f0, h, 1e-6, 1e-9);
    y = st.y;
    f0 = st.fNew;
  }
  return Math.hypot(y[0]! - Math.cos(1), y[1]! + Math.sin(1));
}

describe('Dormand-Prince 5(4)', () => {
  it('is fifth-order accurate against the closed-form rotation', async () => {
    const e1 = await integrate(10);
    const e2 = await integrate(20);
    expect(Math.log2(e1 / e2)).toBeGreaterThan(4.7);
    expect(e1).toBeLessThan(1e-7);
  });
  it('its error estimate is of the size of the true local error', async () => {
    const y = Float64Array.from([1, 0]);
    const st = await dormandPrinceStep(f, y, await f(y), 0.5, 0, 1);
    const trueErr = Math.hypot(st.y[0]! - Math.cos(0.5), st.y[1]! + Math.sin(0.5));
    // the estimate measures the 4th-order companion: larger than the 5th-order error, same ballpark
    expect(st.error).toBeGreaterThan(trueErr);
    expect(st.error).toBeLessThan(1e3 * trueErr + 1e-6);
  });
});

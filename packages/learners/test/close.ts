import { expect } from 'vitest';

/** Asserts |a - b| <= atol + rtol |b| elementwise, with a message naming the first bad index. */
export function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= atol + rtol * Math.abs(b[i]!))) {
      throw new Error(`index ${i}: ${a[i]} vs ${b[i]} (diff ${d}, rtol ${rtol}, atol ${atol})`);
    }
  }
}

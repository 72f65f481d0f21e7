import type { Claim } from './types.js';

function shown(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** Claim `measured <= bound` (fails on NaN). */
export function claimAtMost(claim: string, measured: number, bound: number, expected?: string): Claim {
  return { claim, measured: shown(measured), expected: expected ?? `<= ${bound}`, pass: measured <= bound };
}

/** Claim `measured >= bound` (fails on NaN). */
export function claimAtLeast(claim: string, measured: number, bound: number, expected?: string): Claim {
  return { claim, measured: shown(measured), expected: expected ?? `>= ${bound}`, pass: measured >= bound };
}

/** Claim `|measured - target| <= rtol * |target|` (fails on NaN). */
export function claimClose(claim: string, measured: number, target: number, rtol: number, expected?: string): Claim {
  return {
    claim,
    measured: shown(measured),
    expected: expected ?? `${target} (relative tolerance ${rtol})`,
    pass: Math.abs(measured - target) <= rtol * Math.abs(target),
  };
}

/** Claim that a boolean condition holds; `measured` is the number it was judged on. */
export function claimThat(claim: string, measured: number, pass: boolean, expected: string): Claim {
  return { claim, measured: shown(measured), expected, pass };
}

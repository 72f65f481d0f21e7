import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash, deriveSeed } from './config-hash.js';

describe('configHash', () => {
  it('is the SHA-256 of the canonical JSON (independent computation)', () => {
    const expected = createHash('sha256').update('{"a":1,"b":[1,2]}').digest('hex');
    expect(configHash({ b: [1, 2], a: 1 })).toBe(expected);
  });

  it('ignores key order at every depth and treats typed arrays as arrays', () => {
    const a = { sizes: { n: 10, m: 20 }, etas: new Float64Array([0, 1]), seed: 3 };
    const b = { seed: 3, etas: [0, 1], sizes: { m: 20, n: 10 } };
    expect(configHash(a)).toBe(configHash(b));
    expect(canonicalJson(a)).toBe('{"etas":[0,1],"seed":3,"sizes":{"m":20,"n":10}}');
  });

  it('changes when any value changes, including deep and non-finite ones', () => {
    const base = configHash({ x: { y: [1, 2, 3] }, z: 1 });
    expect(configHash({ x: { y: [1, 2, 4] }, z: 1 })).not.toBe(base);
    expect(configHash({ x: { y: [1, 2, 3] }, z: 1.0000001 })).not.toBe(base);
    expect(configHash({ v: Number.NaN })).not.toBe(configHash({ v: Number.POSITIVE_INFINITY }));
    expect(configHash({ v: Number.NaN })).not.toBe(configHash({ v: null }));
  });

  it('drops undefined fields like JSON does', () => {
    expect(configHash({ a: 1, b: undefined })).toBe(configHash({ a: 1 }));
  });
});

describe('deriveSeed', () => {
  it('is stable, 32-bit, and differs between experiments and global seeds', () => {
    const s = deriveSeed(1, 'kite-landscape');
    expect(s).toBe(deriveSeed(1, 'kite-landscape'));
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(deriveSeed(1, 'other')).not.toBe(s);
    expect(deriveSeed(2, 'kite-landscape')).not.toBe(s);
  });
});

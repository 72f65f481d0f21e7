import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted recursively, typed arrays as plain arrays, non-finite
 * numbers as the strings "NaN", "Infinity", "-Infinity". Two values with the same content give
 * the same string whatever their key order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

function canonicalize(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, canonicalize);
  }
  if (Array.isArray(value)) return value.map(canonicalize);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = canonicalize(v);
  }
  return out;
}

/**
 * SHA-256 (hex) of the canonical JSON of `value`: the "config hash" that decides whether a finished
 * experiment can be skipped on resume (same id, code version, mode, seed, backend and config).
 */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** A 32-bit seed for experiment `id` derived from the global seed (stable across runs). */
export function deriveSeed(globalSeed: number, id: string): number {
  const digest = createHash('sha256').update(`${globalSeed}:${id}`).digest();
  return digest.readUInt32LE(0);
}

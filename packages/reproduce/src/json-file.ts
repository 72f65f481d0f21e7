import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';

/**
 * JSON with typed arrays written as arrays and non-finite numbers as the strings "NaN",
 * "Infinity", "-Infinity" (JSON has no such numbers; writing them as null would hide a failure).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : String(x)));
      }
      return v;
    },
    2,
  );
}

/** Write `value` as JSON atomically (temp file, then rename). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${toJson(value)}\n`);
}

/** Read and parse a JSON file; `undefined` when it is missing or not valid JSON (a torn write). */
export async function readJsonIfValid(path: string): Promise<unknown> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

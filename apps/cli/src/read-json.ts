import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** Reads and parses a JSON file, with errors that name the file. */
export function readJsonFile(path: string | undefined, what: string): unknown {
  if (!path) throw new UsageError(`missing ${what} file argument`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} file "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${what} file "${path}" is not valid JSON: ${(err as Error).message}`);
  }
}

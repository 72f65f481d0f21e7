import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ohmlab-atomic-'));
}

describe('writeFileAtomic', () => {
  it('creates parent directories and writes the exact bytes', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a', 'b', 'file.json');
    await writeFileAtomic(path, '{"x":1}\n');
    expect(await readFile(path, 'utf8')).toBe('{"x":1}\n');
    await writeFileAtomic(path, new Uint8Array([104, 105]));
    expect(await readFile(path, 'utf8')).toBe('hi');
  });

  it('leaves no temporary files behind and replaces old content completely', async () => {
    const dir = await tempDir();
    const path = join(dir, 'f.txt');
    await writeFileAtomic(path, 'x'.repeat(100_000));
    await writeFileAtomic(path, 'short');
    expect(await readFile(path, 'utf8')).toBe('short');
    expect(await readdir(dir)).toEqual(['f.txt']);
  });

  it('concurrent writers: the file ends as one complete version, never a mix', async () => {
    const dir = await tempDir();
    const path = join(dir, 'race.txt');
    const versions = Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i).repeat(50_000 + i));
    await Promise.all(versions.map((v) => writeFileAtomic(path, v)));
    const final = await readFile(path, 'utf8');
    expect(versions).toContain(final);
    expect(await readdir(dir)).toEqual(['race.txt']);
  });

  it('on failure keeps the old file and removes its temporary file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'target');
    await writeFileAtomic(join(path, 'inner.txt'), 'old'); // target is a directory now
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow();
    expect(await readFile(join(path, 'inner.txt'), 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['target']);
    await writeFile(join(dir, 'plain'), 'p');
  });
});

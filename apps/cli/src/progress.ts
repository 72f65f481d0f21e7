/** A one-line progress bar on a terminal (stderr), silent when stderr is not a TTY. */
export interface ProgressBar {
  update(done: number, total: number, message?: string): void;
  finish(message?: string): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const live = Boolean(stream.isTTY);
  const width = 28;
  let last = 0;
  const started = Date.now();
  return {
    update(done, total, message = '') {
      if (!live) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const filled = Math.round(frac * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const secs = ((now - started) / 1000).toFixed(1);
      const line = `${label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${secs}s ${message}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd((stream.columns ?? 100) - 1)}`);
    },
    finish(message = '') {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (live) stream.write('\r\x1b[K');
      stream.write(`${label}: done in ${secs}s ${message}\n`);
    },
  };
}

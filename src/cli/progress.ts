// A one-line progress bar on standard error, only when it is a terminal: scripts and CI logs
// stay clean.
export function progressBar(unit: string): { update: (done: number, total: number) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    update(done, total) {
      if (!tty) return;
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}`);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

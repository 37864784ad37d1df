import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {}

interface LockInfo { pid: number; role: string; port?: number; startedAt: string }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (error) { return (error as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * The embedded database belongs to one process at a time. This takes DATA_DIR/plaza.lock or throws a
 * DataDirInUseError that says who holds it; a lock left by a process that died is taken over.
 */
export function acquireDataLock(dataDir: string, role: string, port?: number): { release(): void } {
  if (dataDir === 'memory://') return { release() {} };
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'plaza.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, role, port, startedAt: new Date().toISOString() } satisfies LockInfo));
      closeSync(fd);
      let released = false;
      const release = () => { if (!released) { released = true; rmSync(path, { force: true }); } };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockInfo | undefined;
      try { holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo; } catch { holder = undefined; }
      if (holder && alive(holder.pid) && holder.pid !== process.pid) {
        const where = holder.port ? ` on port ${holder.port}` : '';
        throw new DataDirInUseError(
          `The embedded database in ${dataDir} is in use by the Plaza ${holder.role} (pid ${holder.pid}${where}). ` +
          'Stop it first, or run Plaza on Postgres (set DATABASE_URL) so several processes can share the data.');
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirInUseError(`Could not lock ${dataDir}`);
}

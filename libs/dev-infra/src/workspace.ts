import fs from 'node:fs';
import path from 'node:path';

// The repository root, found from any file inside it (tests, tools and launchers run from different folders).
export function workspaceRoot(start = __dirname): string {
  let current = start;
  while (!fs.existsSync(path.join(current, 'nx.json'))) {
    const parent = path.dirname(current);
    if (parent === current) throw new Error(`No nx.json above ${start}`);
    current = parent;
  }
  return current;
}

export const localStateDir = (...parts: string[]): string => path.join(workspaceRoot(), '.local', ...parts);

export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// A cross-process lock (a file created exclusively), so parallel test runs start one broker, not several.
export async function withFileLock<T>(lockFile: string, action: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8') || '0');
      if (holder && !isProcessAlive(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${lockFile}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await action();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { waitUntil, withFileLock, workspaceRoot } from './workspace';

describe('workspace helpers', () => {
  it('finds the repository root from any folder inside it', () => {
    expect(fs.existsSync(path.join(workspaceRoot(__dirname), 'nx.json'))).toBe(true);
  });

  it('runs locked sections one at a time', async () => {
    // Arrange
    const lock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lock-')), 'test.lock');
    const trace: string[] = [];
    const section = (name: string) =>
      withFileLock(lock, async () => {
        trace.push(`${name}:in`);
        await new Promise((resolve) => setImmediate(resolve));
        trace.push(`${name}:out`);
      });

    // Act
    await Promise.all([section('a'), section('b')]);

    // Assert
    expect([trace.slice(0, 2), trace.slice(2)].every(([entry, exit]) => entry.split(':')[0] === exit.split(':')[0])).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('reports what it waited for when the deadline passes', async () => {
    await expect(waitUntil(async () => false, 50, 'something that never happens', 10)).rejects.toThrow(/something that never happens/);
  });
});

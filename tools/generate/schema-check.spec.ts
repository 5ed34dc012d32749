import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ANNOUNCEMENTS, RELEASED_SUPERGRAPH } from './schema-check';
import { SUBGRAPHS } from './supergraph';

const root = path.resolve(__dirname, '..', '..');

// A copy of what the check reads (subgraph SDL, the released supergraph, the announcements) where a subgraph changes.
function checkout(edit: (file: (app: string) => string) => void, announcements: unknown[] = []): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
  for (const { app } of SUBGRAPHS) fs.cpSync(path.join(root, 'apps', app, 'src', 'schema'), path.join(copy, 'apps', app, 'src', 'schema'), { recursive: true });
  fs.mkdirSync(path.join(copy, 'docs', 'contract'), { recursive: true });
  fs.copyFileSync(path.join(root, ...RELEASED_SUPERGRAPH), path.join(copy, ...RELEASED_SUPERGRAPH));
  fs.writeFileSync(path.join(copy, ...ANNOUNCEMENTS), JSON.stringify(announcements));
  edit((app) => {
    const directory = path.join(copy, 'apps', app, 'src', 'schema');
    return path.join(directory, fs.readdirSync(directory).find((name) => name.endsWith('.graphql')) as string);
  });
  return copy;
}

const change = (file: string, from: RegExp, to: string) => {
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${from} not found in ${file}`);
  fs.writeFileSync(file, after);
};

function runCheck(copy: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'schema-check.ts'), '--check', '--root', copy], {
    cwd: root,
    encoding: 'utf8',
  });
  fs.rmSync(copy, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('schema check before deploy', () => {
  it('passes the committed subgraphs against the released supergraph', () => {
    // Act
    const result = runCheck(checkout(() => undefined));

    // Assert
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/0 unannounced/);
  });

  it('fails on a breaking change nobody announced, naming it', () => {
    // Arrange
    const copy = checkout((file) => change(file('analytics-subgraph'), /^\s*weeklySummaries\(first: Int\): \[WeeklySummary!\]!\n/m, ''));

    // Act
    const result = runCheck(copy);

    // Assert
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/not announced[\s\S]*FIELD_REMOVED Query\.weeklySummaries/);
  });

  it('lets an announced breaking change through and still lists it', () => {
    // Arrange
    const announcement = { type: 'FIELD_REMOVED', path: 'Query.weeklySummaries', reason: 'replaced by reports', announced: '2026-11-01' };
    const copy = checkout((file) => change(file('analytics-subgraph'), /^\s*weeklySummaries\(first: Int\): \[WeeklySummary!\]!\n/m, ''), [announcement]);

    // Act
    const result = runCheck(copy);

    // Assert
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/Announced breaking changes:\n\s+- FIELD_REMOVED Query\.weeklySummaries/);
  });

  it('prints dangerous changes without failing', () => {
    // Arrange
    const copy = checkout((file) => change(file('opportunity-subgraph'), /^enum ActivityType \{\n/m, 'enum ActivityType {\n  DEMO\n'));

    // Act
    const result = runCheck(copy);

    // Assert
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/Dangerous changes[\s\S]*ENUM_VALUE_ADDED ActivityType\.DEMO/);
  });
});

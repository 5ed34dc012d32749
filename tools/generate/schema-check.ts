import fs from 'node:fs';
import path from 'node:path';

import { Supergraph } from '@apollo/federation-internals';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

import { composeSupergraph } from './supergraph';

// Schema check before deploy: the newly composed supergraph's API schema (what clients see) against the last released
// one. A breaking change fails CI unless it is announced; dangerous ones (a new enum value, a changed default) are
// printed for the reviewer. `--release` records the current supergraph as released and clears the announcements.
export const RELEASED_SUPERGRAPH = ['docs', 'contract', 'released-supergraph.graphql'];
export const ANNOUNCEMENTS = ['docs', 'contract', 'announced-breaking-changes.json'];

export interface Announcement {
  // GraphQL Inspector's change type and path, as the check prints them (e.g. FIELD_REMOVED, Query.leads).
  type: string;
  path: string;
  reason: string;
  announced: string;
}

export interface SchemaCheck {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  unannounced: Change[];
  // Announcements that match no change: likely a typo in the path, or already released.
  unused: Announcement[];
}

export const apiSchemaOf = (supergraphSdl: string): GraphQLSchema => Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

export async function checkSchema(releasedSupergraph: string, nextSupergraph: string, announcements: Announcement[]): Promise<SchemaCheck> {
  const changes = await diff(apiSchemaOf(releasedSupergraph), apiSchemaOf(nextSupergraph));
  const of = (level: CriticalityLevel) => changes.filter((change) => change.criticality.level === level);
  const breaking = of(CriticalityLevel.Breaking);
  const isAnnounced = (change: Change) => announcements.some((announcement) => announcement.type === change.type && announcement.path === change.path);
  return {
    breaking,
    dangerous: of(CriticalityLevel.Dangerous),
    safe: of(CriticalityLevel.NonBreaking),
    unannounced: breaking.filter((change) => !isAnnounced(change)),
    unused: announcements.filter((announcement) => !breaking.some((change) => announcement.type === change.type && announcement.path === change.path)),
  };
}

export function readAnnouncements(file: string): Announcement[] {
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a list of { type, path, reason, announced }`);
  for (const [index, entry] of parsed.entries()) {
    for (const key of ['type', 'path', 'reason', 'announced'] as const) {
      if (typeof (entry as Record<string, unknown>)?.[key] !== 'string' || !(entry as Record<string, string>)[key].trim())
        throw new Error(`${file} entry ${index} needs a non-empty "${key}"`);
    }
  }
  return parsed as Announcement[];
}

export function report(check: SchemaCheck): string {
  const line = (change: Change) => `  - ${change.type} ${change.path ?? ''}: ${change.message}`;
  return [
    check.dangerous.length > 0 ? `Dangerous changes (clients may behave differently; review):\n${check.dangerous.map(line).join('\n')}` : '',
    check.breaking.length > check.unannounced.length
      ? `Announced breaking changes:\n${check.breaking
          .filter((change) => !check.unannounced.includes(change))
          .map(line)
          .join('\n')}`
      : '',
    check.unannounced.length > 0
      ? `Breaking changes that were not announced (add them to ${ANNOUNCEMENTS.join('/')} with a reason and a date, or keep the old schema):\n${check.unannounced.map(line).join('\n')}`
      : '',
    check.unused.length > 0 ? `Announcements that match no change:\n${check.unused.map((entry) => `  - ${entry.type} ${entry.path}`).join('\n')}` : '',
    `schema check: ${check.breaking.length} breaking (${check.unannounced.length} unannounced), ${check.dangerous.length} dangerous, ${check.safe.length} safe changes against the released supergraph`,
  ]
    .filter(Boolean)
    .join('\n');
}

async function main(): Promise<void> {
  // --root <dir> checks another checkout (the spec runs it on a copy with a changed subgraph).
  const rootFlag = process.argv.indexOf('--root');
  const root = rootFlag > 0 ? path.resolve(process.argv[rootFlag + 1]) : path.resolve(__dirname, '..', '..');
  const released = path.join(root, ...RELEASED_SUPERGRAPH);
  const announcements = path.join(root, ...ANNOUNCEMENTS);
  const composed = composeSupergraph(root);
  if (process.argv.includes('--release')) {
    fs.writeFileSync(released, composed);
    fs.writeFileSync(announcements, '[]\n');
    console.log(`recorded ${path.relative(root, released)} as released; announcements cleared`);
    return;
  }
  const check = await checkSchema(fs.readFileSync(released, 'utf8'), composed, readAnnouncements(announcements));
  console.log(report(check));
  if (check.unannounced.length > 0) process.exit(1);
}

if (require.main === module) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}

import fs from 'node:fs';
import path from 'node:path';

import { type DocumentNode, parse } from 'graphql';

// Schema-first: a subgraph's SDL lives in .graphql files beside its code (copied next to the bundle on build).
export function loadSchemaFiles(directory: string): DocumentNode {
  const files = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`No .graphql files in ${directory}`);
  return parse(files.map((file) => fs.readFileSync(path.join(directory, file), 'utf8')).join('\n'));
}

import fs from 'node:fs';

import type { NextFunction, Request, Response } from 'express';

// Trusted documents: clients send the hash of an operation their build registered instead of its text. The gateway
// resolves hashes from manifests ({ "<sha256>": "<operation>" }, as graphql-codegen's client preset emits them), and
// refuses free-text operations from the clients it is told to hold to their manifest.
export interface TrustedDocumentsOptions {
  files: string[];
  // Client names (the apollographql-client-name header) that may send only known documents; "*" means every client.
  requiredFor: string[];
}

interface Manifest {
  byHash: Map<string, string>;
  texts: Set<string>;
}

const CHECK_INTERVAL_MS = 1_000;

// Reread when a file changes, so a developer's regenerated operations work without restarting the gateway.
function manifestLoader(files: string[]): () => Manifest {
  let manifest: Manifest = { byHash: new Map(), texts: new Set() };
  let signature = '';
  let checkedAt = 0;
  return () => {
    if (Date.now() - checkedAt < CHECK_INTERVAL_MS) return manifest;
    checkedAt = Date.now();
    const next = files.map((file) => `${file}:${fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 'missing'}`).join('|');
    if (next === signature) return manifest;
    const byHash = new Map<string, string>();
    for (const file of files) {
      if (!fs.existsSync(file)) continue;
      for (const [hash, text] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>))
        byHash.set(hash.replace(/^sha256:/i, '').toLowerCase(), text);
    }
    manifest = { byHash, texts: new Set(byHash.values()) };
    signature = next;
    return manifest;
  };
}

export class TrustedDocumentError extends Error {
  constructor(
    readonly code: 'PERSISTED_QUERY_NOT_FOUND' | 'PERSISTED_QUERY_NOT_IN_LIST',
    message: string,
  ) {
    super(message);
  }
}

interface OperationBody {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown>;
  [key: string]: unknown;
}

// The id as GraphQL-over-HTTP proposes it (documentId "sha256:<hex>") or as Apollo's persisted-query extension sends it.
const documentIdOf = (operation: OperationBody): string | null => {
  const id = typeof operation.documentId === 'string' ? operation.documentId : operation.extensions?.persistedQuery?.sha256Hash;
  return typeof id === 'string' ? id.replace(/^sha256:/i, '').toLowerCase() : null;
};

// Returns the operation with its text in place of the id; throws what the client must be told.
export function resolveTrustedDocument(operation: OperationBody, manifest: Manifest, enforced: boolean): OperationBody {
  const id = documentIdOf(operation);
  if (id !== null) {
    const text = manifest.byHash.get(id);
    // Apollo's message, so persisted-query clients recognise it; a client held to its manifest never retries with text.
    if (text === undefined) throw new TrustedDocumentError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
    const { documentId: _documentId, extensions, ...rest } = operation;
    const { persistedQuery: _persistedQuery, ...otherExtensions } = extensions ?? {};
    return { ...rest, query: text, ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}) };
  }
  if (enforced && !(typeof operation.query === 'string' && manifest.texts.has(operation.query))) {
    throw new TrustedDocumentError('PERSISTED_QUERY_NOT_IN_LIST', 'This client may send only operations from its trusted-document manifest');
  }
  return operation;
}

export function trustedDocuments(options: TrustedDocumentsOptions) {
  const load = manifestLoader(options.files);
  const required = new Set(options.requiredFor);
  return (request: Request, response: Response, next: NextFunction) => {
    const client = request.headers['apollographql-client-name'];
    const enforced = required.has('*') || (typeof client === 'string' && required.has(client));
    try {
      const manifest = load();
      if (request.method === 'GET') {
        if (typeof request.query.query === 'string' || typeof request.query.extensions === 'string') {
          resolveTrustedDocument(
            { query: request.query.query, extensions: typeof request.query.extensions === 'string' ? JSON.parse(request.query.extensions) : undefined },
            manifest,
            enforced,
          );
        }
      } else if (Array.isArray(request.body)) {
        request.body = request.body.map((operation: OperationBody) => resolveTrustedDocument(operation, manifest, enforced));
      } else if (request.body && typeof request.body === 'object') {
        request.body = resolveTrustedDocument(request.body as OperationBody, manifest, enforced);
      }
      next();
    } catch (error) {
      if (!(error instanceof TrustedDocumentError)) return next(error);
      // Not found is a normal answer of the persisted-query protocol (200); refusing free text is a client error.
      response.status(error.code === 'PERSISTED_QUERY_NOT_FOUND' ? 200 : 400).json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    }
  };
}

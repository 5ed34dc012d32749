import {
  assertPortsFree,
  claimStackMarker,
  ensureKafkaBroker,
  ensurePostgres,
  GATEWAY,
  localStateDir,
  SetupError,
  startStack,
  SUBGRAPHS,
} from '@pipeline/dev-infra';
import { LOCAL_INTERNAL_SECRET, LOCAL_JWT_SECRET } from '@pipeline/server-kit';

import { buildWebApp, WEB_DIST_DIR } from './web-build';

function portOffset(env: NodeJS.ProcessEnv): number {
  const offset = Number(env.PIPELINE_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 60_000)
    throw new SetupError(`PIPELINE_PORT_OFFSET must be a whole number of ports (e.g. 100), not "${env.PIPELINE_PORT_OFFSET}"`);
  return offset;
}

// `npm start`: PostgreSQL (DATABASE_URL, the local server, or an embedded one), Kafka (KAFKA_BROKERS or a local
// KRaft broker from Maven-fetched jars), the four subgraphs and the gateway. Ctrl-C stops what it started.
async function main(): Promise<void> {
  const log = (message: string) => console.log(`[stack] ${message}`);
  const started = Date.now();
  const offset = portOffset(process.env);
  const services = [GATEWAY, ...SUBGRAPHS].map((spec) => ({ name: spec.app, port: spec.port + offset }));
  const releaseMarker = claimStackMarker(localStateDir(`stack-${offset}.json`), {
    pid: process.pid,
    gatewayUrl: `http://127.0.0.1:${GATEWAY.port + offset}/graphql`,
  });
  process.on('exit', releaseMarker);
  await assertPortsFree(
    services,
    `move the whole stack with PIPELINE_PORT_OFFSET=<n> (it then uses ports ${GATEWAY.port}+n to ${GATEWAY.port + SUBGRAPHS.length}+n)`,
  );

  // The web app builds (or comes from Nx's cache) while PostgreSQL and Kafka start.
  const webBuilt = buildWebApp(log);
  const postgres = await ensurePostgres({ log });
  log(`PostgreSQL at ${postgres.url.replace(/:[^:@/]+@/, ':***@')}${postgres.embedded ? ' (embedded)' : ''}`);
  const broker = process.env.KAFKA_BROKERS ? null : await ensureKafkaBroker({ name: 'default', log });
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? (broker as NonNullable<typeof broker>).brokers;
  log(`Kafka at ${kafkaBrokers}${broker?.startedHere ? ' (started here)' : ''}`);
  const stopInfrastructure = async () => {
    if (broker?.startedHere) await broker.stop();
    await postgres.stop();
  };
  await webBuilt;
  const stack = await startStack({
    databaseUrl: postgres.url,
    kafkaBrokers,
    portOffset: offset,
    jwtSecret: process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET,
    internalSecret: process.env.INTERNAL_AUTH_SECRET ?? LOCAL_INTERNAL_SECRET,
    output: 'inherit',
    env: { WEB_DIST_DIR },
    log,
  }).catch(async (error: unknown) => {
    await stopInfrastructure();
    throw error;
  });
  log(`gateway ready at ${stack.gatewayUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`web app ready at ${new URL('/', stack.gatewayUrl).href}   (sign in as a seeded user; \`npm run seed\` fills an empty stack)`);
  log('mint a token: npm run token -- --role ADMIN   (then send Authorization: Bearer <token>)');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await stack.stop();
    await stopInfrastructure();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(error instanceof SetupError ? `\n[stack] ${error.message}\n` : error);
  process.exit(1);
});

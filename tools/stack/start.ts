import { ensureKafkaBroker, ensurePostgres, startStack } from '@pipeline/dev-infra';
import { buildWebApp, WEB_DIST_DIR } from './web-build';
import { LOCAL_INTERNAL_SECRET, LOCAL_JWT_SECRET } from '@pipeline/server-kit';

// `npm start`: PostgreSQL (DATABASE_URL, the local server, or an embedded one), Kafka (KAFKA_BROKERS or a local
// KRaft broker from Maven-fetched jars), the four subgraphs and the gateway. Ctrl-C stops what it started.
async function main(): Promise<void> {
  const log = (message: string) => console.log(`[stack] ${message}`);
  const started = Date.now();
  // The web app builds (or comes from Nx's cache) while PostgreSQL and Kafka start.
  const webBuilt = buildWebApp(log);
  const postgres = await ensurePostgres({ log });
  log(`PostgreSQL at ${postgres.url.replace(/:[^:@/]+@/, ':***@')}${postgres.embedded ? ' (embedded)' : ''}`);
  const broker = process.env.KAFKA_BROKERS ? null : await ensureKafkaBroker({ name: 'default', port: Number(process.env.LOCAL_KAFKA_PORT ?? 29092), log });
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? (broker as NonNullable<typeof broker>).brokers;
  log(`Kafka at ${kafkaBrokers}${broker?.startedHere ? ' (started here)' : ''}`);
  await webBuilt;
  const stack = await startStack({
    databaseUrl: postgres.url,
    kafkaBrokers,
    jwtSecret: process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET,
    internalSecret: process.env.INTERNAL_AUTH_SECRET ?? LOCAL_INTERNAL_SECRET,
    output: 'inherit',
    env: { WEB_DIST_DIR },
    log,
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
    if (broker?.startedHere) await broker.stop();
    await postgres.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

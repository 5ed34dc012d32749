import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { canListen, ensurePostgres, isPortOpen, type PostgresServer } from '@pipeline/dev-infra';
import { withDatabase } from '@pipeline/persistence';
import { createLogger, LOCAL_INTERNAL_SECRET, type RunningService, startService } from '@pipeline/server-kit';
import { testKafkaBrokers, testTopicPrefix } from '@pipeline/test-infra';
import { adminActor, expectNoErrors, subgraphClient, waitFor } from '@pipeline/testing';

import { leadService } from '../server';
import { createRep } from '../test-support';

async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (await canListen(port)) return port;
  }
}

// Ready means its consumers joined too: stopping a service halfway through its start is another test's subject.
async function startLead(databaseUrl: string, topicPrefix: string): Promise<RunningService> {
  const service = await startService(
    leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, slaCheckIntervalMs: 0 }),
    {
      port: 0,
      databaseUrl,
      kafka: { brokers: testKafkaBrokers().split(','), clientId: 'test-embedded', topicPrefix, logLevel: 'nothing' },
      internalSecret: LOCAL_INTERNAL_SECRET,
      production: false,
    },
    createLogger('embedded-postgres', 'silent'),
  );
  await waitFor(() => service.consumers.every((consumer) => consumer.ready), { what: 'the lead service to be ready', timeoutMs: 30_000 });
  return service;
}

const repNames = async (service: RunningService) =>
  expectNoErrors(await subgraphClient(service.url, adminActor())<any>('{ salesReps { name } }')).salesReps.map((rep: any) => rep.name);

// The fallback a machine without PostgreSQL gets (npm start, npm test, benches), forced on here so a broken
// embedded path fails CI even where a PostgreSQL server runs.
describe('embedded PostgreSQL fallback', () => {
  let home: string;
  let postgres: PostgresServer | undefined;
  let service: RunningService | undefined;

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-pg-'));
    // As root the server runs as the "postgres" user, which must be able to reach the data folder.
    fs.chmodSync(home, 0o755);
  });

  afterAll(async () => {
    await service?.stop();
    await postgres?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('runs a service on its own server, stops cleanly and keeps the data for the next run', async () => {
    // Arrange
    const port = await freePort();
    const dataDir = path.join(home, 'data');
    const topicPrefix = testTopicPrefix('embedded-pg');
    const env = { PIPELINE_EMBEDDED_POSTGRES: 'true', EMBEDDED_POSTGRES_PORT: String(port) };

    // Act: first run migrates the lead database and writes a rep through the GraphQL API
    postgres = await ensurePostgres({ env, dataDir });
    service = await startLead(withDatabase(postgres.url, 'pipeline_lead'), topicPrefix);
    await createRep(subgraphClient(service.url, adminActor()), { name: 'Embedded Erin' });
    await service.stop();
    service = undefined;
    await postgres.stop();
    const closedAfterStop = !(await isPortOpen(port));

    // Act: second run on the same data folder
    postgres = await ensurePostgres({ env, dataDir });
    service = await startLead(withDatabase(postgres.url, 'pipeline_lead'), topicPrefix);
    const names = await repNames(service);

    // Assert
    expect(postgres.embedded).toBe(true);
    expect(postgres.url).toContain(`:${port}/`);
    expect(closedAfterStop).toBe(true);
    expect(names).toEqual(['Embedded Erin']);
  });
});

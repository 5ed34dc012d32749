import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { PersonalDataEnvelope } from '@pipeline/events';
import { createDataSource, createPersonalDataKeyTable, dataKeysFor, destroyDataKey, sealPersonalData } from '@pipeline/persistence';
import { createLogger, createPersonalDataOpener, LOCAL_INTERNAL_SECRET, mountPersonalDataRoute, type PersonalDataOpener } from '@pipeline/server-kit';
import { createTestDatabase } from '@pipeline/test-infra';
import express from 'express';
import type { DataSource } from 'typeorm';

export interface PersonalDataOwner {
  dataSource: DataSource;
  url: string;
  // Seals fields with the subject's key (made on first use), as the owner does when it publishes.
  seal(subjectId: string, fields: Record<string, unknown>): Promise<PersonalDataEnvelope>;
  erase(subjectId: string): Promise<void>;
  // What a reader service uses to reach this owner; `unreachable` points at a port where nothing answers.
  opener(serviceName: string, unreachable?: boolean): PersonalDataOpener;
  stop(): Promise<void>;
}

// The owner of people's keys as the lead service runs it (its key table and the same internal route), in this process,
// for the specs of the services that read sealed people (real PostgreSQL, real HTTP).
export async function startPersonalDataOwner(label: string, allowedServices: readonly string[]): Promise<PersonalDataOwner> {
  const database = await createTestDatabase(`${label}_owner`);
  const dataSource = createDataSource({ url: database.url, entities: [], migrations: [], applicationName: `${label}-owner` });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  await createPersonalDataKeyTable(queryRunner);
  await queryRunner.release();
  const app = express();
  mountPersonalDataRoute(app, { dataSource, internalSecret: LOCAL_INTERNAL_SECRET, allowedServices, logger: createLogger(`${label}-owner`, 'silent') });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    dataSource,
    url,
    async seal(subjectId, fields) {
      const key = (await dataKeysFor(dataSource.manager, [subjectId])).get(subjectId);
      if (!key) throw new Error(`${subjectId} was erased`);
      return sealPersonalData(key, subjectId, fields);
    },
    async erase(subjectId) {
      await destroyDataKey(dataSource.manager, subjectId, new Date());
    },
    opener: (serviceName, unreachable = false) =>
      createPersonalDataOpener({
        ownerService: 'lead-subgraph',
        ownerUrl: unreachable ? 'http://127.0.0.1:9/graphql' : url,
        serviceName,
        internalSecret: LOCAL_INTERNAL_SECRET,
        timeoutMs: 1_000,
      }),
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await dataSource.destroy();
      await database.drop();
    },
  };
}

import { mountPersonalDataRoute } from '@pipeline/server-kit';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

// The services that show a lead's person (a contact's name, a notification, a proposal greeting) from the envelope in
// the lead events they received; nobody else, and no end user (they read Lead.name through the graph).
export const LEAD_PERSONAL_DATA_READERS = ['opportunity-subgraph', 'engagement-subgraph', 'deal-subgraph'] as const;

// POST /internal/personal-data/open with a service token: the lead person's fields, 410 once erased.
export function mountOpenPersonalData(app: Express, dataSource: DataSource, internalSecret: string, logger: Logger): void {
  mountPersonalDataRoute(app, { dataSource, internalSecret, allowedServices: LEAD_PERSONAL_DATA_READERS, logger });
}

import type { DataSource } from 'typeorm';

export interface DealSettings {
  // How long a deal action waits for a just-created opportunity to arrive by event.
  snapshotWaitMs: number;
}

export interface DealDeps {
  dataSource: DataSource;
  now: () => Date;
  settings: DealSettings;
}

export const DEFAULT_DEAL_SETTINGS: DealSettings = { snapshotWaitMs: 3_000 };

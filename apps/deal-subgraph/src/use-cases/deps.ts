import type { PersonalDataOpener } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

export interface DealSettings {
  // How long a deal action waits for a just-created opportunity to arrive by event.
  snapshotWaitMs: number;
}

export interface DealDeps {
  dataSource: DataSource;
  now: () => Date;
  settings: DealSettings;
  // Opens a lead person's envelope through the lead service (the proposal greeting).
  personalData: PersonalDataOpener;
}

export const DEFAULT_DEAL_SETTINGS: DealSettings = { snapshotWaitMs: 3_000 };

import type { PersonalDataOpener } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

export interface OpportunitySettings {
  // How long convertLead waits for the lead's latest state to arrive from the lead service before deciding.
  leadSnapshotWaitMs: number;
}

export interface OpportunityDeps {
  dataSource: DataSource;
  now: () => Date;
  settings: OpportunitySettings;
  // Opens a lead person's envelope through the lead service, which holds the keys.
  personalData: PersonalDataOpener;
}

export const DEFAULT_OPPORTUNITY_SETTINGS: OpportunitySettings = { leadSnapshotWaitMs: 3_000 };

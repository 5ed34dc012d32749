import type { DataSource } from 'typeorm';

export interface LeadSettings {
  // Hours a lead may sit with its owner without any activity before the rules re-assign it.
  slaHours: number;
  // Maximum rows one import call accepts.
  maxImportRows: number;
}

export interface LeadDeps {
  dataSource: DataSource;
  now: () => Date;
  settings: LeadSettings;
}

export const DEFAULT_LEAD_SETTINGS: LeadSettings = { slaHours: 48, maxImportRows: 20_000 };

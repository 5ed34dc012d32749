import type { PersonalDataOpener } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

export interface EngagementDeps {
  dataSource: DataSource;
  now: () => Date;
  // How long a write waits for a just-created lead or opportunity (or a just-registered rep) to arrive by event.
  snapshotWaitMs: number;
  // Opens a lead's sealed person (the lead service), to recognise them in the text of tasks on its opportunity.
  personalData: PersonalDataOpener;
}

import type { DataSource } from 'typeorm';

export interface DealDeps {
  dataSource: DataSource;
  now: () => Date;
  // How long a deal action waits for a just-created opportunity to arrive by event.
  snapshotWaitMs: number;
}

import type { DataSource } from 'typeorm';

export interface AnalyticsDeps {
  dataSource: DataSource;
  now: () => Date;
  exactPercentileLimit: number;
}

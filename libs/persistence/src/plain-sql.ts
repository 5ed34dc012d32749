import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';

// The rows of one read statement. Inside a transaction it runs on the transaction's connection; outside one it goes
// straight to the driver's pool, skipping the query runner TypeORM builds, connects, logs through and releases per
// statement (a hot read runs thousands of them a second). Statements are still logged to the DataSource's logger.
export async function selectRows<T>(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<T[]> {
  if (manager.queryRunner) return manager.query(sql, parameters);
  const dataSource = manager.connection;
  dataSource.logger.logQuery(sql, parameters);
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return (await pool.query(sql, parameters)).rows as T[];
}

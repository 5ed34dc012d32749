import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, MigrationExecutor, type MixedList, type QueryRunner } from 'typeorm';

export interface DataSourceOptions {
  url: string;
  entities: MixedList<EntitySchema | (new () => unknown)>;
  migrations: MixedList<new () => unknown>;
  applicationName: string;
  poolSize?: number;
  logger?: TypeOrmLogger;
  // Per-session PostgreSQL settings, e.g. a larger work_mem for a read model that sorts a lot.
  sessionSettings?: Record<string, string>;
  // A statement running longer is cancelled by PostgreSQL (its transaction rolls back, the connection stays usable).
  statementTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

// Every service gets its own database; the schema changes only through reviewed migrations.
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    logging: options.logger ? ['query', 'error'] : ['error'],
    logger: options.logger,
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      // A slow statement fails cleanly instead of holding a connection; a transaction left open by a crashed
      // request is closed by the server.
      options: Object.entries({
        statement_timeout: String(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS),
        idle_in_transaction_session_timeout: '60000',
        ...options.sessionSettings,
      })
        .map(([name, value]) => `-c ${name}=${value}`)
        .join(' '),
    },
  });
}

// Replicas of a service starting together against a fresh database take turns: the first runs the migrations, the
// others wait on this lock (scoped to the database) and then find nothing pending.
export const MIGRATION_LOCK = 7_420_000;

export async function initializeDataSource(dataSource: DataSource, runMigrations = true): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (runMigrations) {
    // Migrations may rewrite large tables: they run on a connection of their own without the request timeout.
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query('SET statement_timeout = 0');
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    }
  }
  return dataSource;
}

// Counts SQL statements; tests use it to prove batching (one statement per DataLoader batch).
export class QueryCounter implements TypeOrmLogger {
  readonly statements: string[] = [];
  // The query runner of each statement (a transaction has one of its own), so a test can count one transaction's
  // round trips while the outbox relay and consumers query the same database.
  private readonly runners: unknown[] = [];
  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.statements.push(query);
    this.runners.push(queryRunner);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  reset(): void {
    this.statements.length = 0;
    this.runners.length = 0;
  }
  // Every statement of the transactions (query runners) in which a statement matching the pattern ran, in order.
  transactionsOf(pattern: RegExp): string[] {
    const runners = new Set(this.runners.filter((runner, index) => runner !== undefined && pattern.test(this.statements[index])));
    return this.statements.filter((_statement, index) => runners.has(this.runners[index]));
  }
  matching(pattern: RegExp): string[] {
    return this.statements.filter((statement) => pattern.test(statement));
  }
}

import { createDataSource, initializeDataSource } from '@pipeline/persistence';
import type { ServiceDefinition } from '@pipeline/server-kit';
import { createTestDatabase } from '@pipeline/test-infra';
import type { DataSource } from 'typeorm';

// What the ORM mapping says about each table, against what the migrations built: a column the mapping names that
// the database lacks, or has with another type or nullability, or a named index it lacks, is drift that only shows at
// run time otherwise.
export async function entitySchemaDrift(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string; column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }> = await dataSource.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  const actual = new Map(rows.map((row) => [`${row.table_name}.${row.column_name}`, row]));
  const indexes: Array<{ tablename: string; indexname: string }> = await dataSource.query(
    `SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()`,
  );
  const builtIndexes = new Set(indexes.map((row) => `${row.tablename}.${row.indexname}`));
  const drift: string[] = [];
  for (const entity of dataSource.entityMetadatas) {
    for (const index of entity.indices) {
      if (index.givenName && !builtIndexes.has(`${entity.tableName}.${index.givenName}`))
        drift.push(`${entity.tableName}.${index.givenName}: index mapped but not built by the migrations`);
    }
    for (const column of entity.columns) {
      const name = `${entity.tableName}.${column.databaseName}`;
      const found = actual.get(name);
      if (!found) {
        drift.push(`${name}: mapped but not built by the migrations`);
        continue;
      }
      const expected = column.isArray ? 'ARRAY' : dataSource.driver.normalizeType(column);
      if (found.data_type !== expected) drift.push(`${name}: mapped as ${expected}, built as ${found.data_type}`);
      if (!column.isPrimary && column.isNullable !== (found.is_nullable === 'YES'))
        drift.push(`${name}: mapped ${column.isNullable ? 'nullable' : 'NOT NULL'}, built ${found.is_nullable === 'YES' ? 'nullable' : 'NOT NULL'}`);
    }
  }
  return drift;
}

// Builds a fresh database with the service's migrations and compares its mapping with it.
export async function schemaDriftOf(definition: Pick<ServiceDefinition, 'serviceName' | 'entities' | 'migrations'>): Promise<string[]> {
  const database = await createTestDatabase(`drift_${definition.serviceName.replace(/-subgraph$/, '')}`);
  const dataSource = await initializeDataSource(
    createDataSource({ url: database.url, entities: definition.entities, migrations: definition.migrations, applicationName: 'schema-drift' }),
  );
  try {
    return await entitySchemaDrift(dataSource);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

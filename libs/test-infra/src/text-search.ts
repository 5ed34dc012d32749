import { Client } from 'pg';

export interface TextHit {
  table: string;
  needle: string;
  rows: number;
}

// Every row of every table of a database, whole (each column, jsonb and arrays included, as PostgreSQL prints the row),
// searched case-insensitively for each needle: a generic proof that a value is nowhere in it, whatever the schema.
export async function findTextInDatabase(url: string, needles: readonly string[]): Promise<TextHit[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    if (tables.length === 0 || needles.length === 0) return [];
    // One statement for the whole database: each row is printed once and matched against every needle.
    const lines = tables
      .map(
        ({ schema, name }, index) =>
          `SELECT ${index} AS table_index, t::text AS line FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)} AS t`,
      )
      .join(' UNION ALL ');
    const patterns = needles.map((needle) => `%${needle.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
    const { rows } = await client.query<{ table_index: number; needle_index: number; count: number }>(
      `SELECT r.table_index, n.ordinality::int - 1 AS needle_index, count(*)::int AS count
         FROM (${lines}) AS r JOIN unnest($1::text[]) WITH ORDINALITY AS n(pattern, ordinality) ON r.line ILIKE n.pattern
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [patterns],
    );
    return rows.map((row) => ({
      table: `${tables[row.table_index].schema}.${tables[row.table_index].name}`,
      needle: needles[row.needle_index],
      rows: row.count,
    }));
  } finally {
    await client.end();
  }
}

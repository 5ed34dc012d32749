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
    const hits: TextHit[] = [];
    for (const table of tables) {
      const qualified = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
      for (const needle of needles) {
        const pattern = `%${needle.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
        const { rows } = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${qualified} AS t WHERE t::text ILIKE $1`, [pattern]);
        if (rows[0].count > 0) hits.push({ table: `${table.schema}.${table.name}`, needle, rows: rows[0].count });
      }
    }
    return hits;
  } finally {
    await client.end();
  }
}

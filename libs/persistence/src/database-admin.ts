import { Client } from 'pg';

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

// Creates the service's database on first start, so a fresh server needs no manual step.
export async function ensureDatabase(url: string): Promise<void> {
  const database = databaseNameOf(url);
  if (!IDENTIFIER.test(database)) throw new Error(`Refusing to create database with unusual name ${database}`);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE "${database}"`);
      } catch (error) {
        // Two services (or test workers) may race to create the same database.
        if ((error as { code?: string }).code !== '42P04' && (error as { code?: string }).code !== '23505') throw error;
      }
    }
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const database = databaseNameOf(url);
  if (!IDENTIFIER.test(database)) throw new Error(`Refusing to drop database with unusual name ${database}`);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

// Configuration comes from the environment only; local defaults make a bare checkout runnable.
export function envString(name: string, fallback?: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`Missing required environment variable ${name}`);
}

export function envInt(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new Error(`${name} must be a whole number, got ${value}`);
  return parsed;
}

export const isProduction = (env: NodeJS.ProcessEnv = process.env): boolean => env.NODE_ENV === 'production';

export const LOCAL_INTERNAL_SECRET = 'local-internal-secret-change-me-0123456789';
export const LOCAL_JWT_SECRET = 'local-dev-secret-change-me-0123456789abcdef';
export const MIN_SECRET_BYTES = 32;
// Values published in this repository (defaults, test fixtures, the old compose fallbacks): anyone can sign with them.
const PUBLISHED_SECRETS = new Set([LOCAL_INTERNAL_SECRET, LOCAL_JWT_SECRET, 'test-jwt-secret-0123456789abcdef0123456789', 'local-postgres-password']);
const looksPublished = (value: string): boolean => PUBLISHED_SECRETS.has(value) || /change[-_ ]?me/i.test(value);

// Secrets: production must set them to something of its own, at least 32 bytes; locally a default keeps a bare
// checkout runnable.
export function envSecret(name: string, localDefault: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!isProduction(env)) return value || localDefault;
  if (!value) throw new Error(`${name} must be set in production`);
  if (looksPublished(value)) throw new Error(`${name} is a published default (it is in this repository): set a secret of your own, e.g. openssl rand -hex 32`);
  if (Buffer.byteLength(value) < MIN_SECRET_BYTES)
    throw new Error(`${name} must be at least ${MIN_SECRET_BYTES} bytes in production (e.g. openssl rand -hex 32)`);
  return value;
}

// A database password from this repository would let anyone who reads it into a production database.
export function assertDatabaseUrlSafe(name: string, url: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!isProduction(env)) return url;
  const password = decodeURIComponent(new URL(url).password);
  if (password && looksPublished(password)) throw new Error(`${name} carries a published default password: set a password of your own`);
  return url;
}

// One PostgreSQL server locally, one database per service: the service's URL wins, else DATABASE_URL with its own name.
export function serviceDatabaseUrl(service: string, env: NodeJS.ProcessEnv = process.env): string {
  const specificName = `${service.toUpperCase()}_DATABASE_URL`;
  const specific = env[specificName];
  if (specific) return assertDatabaseUrlSafe(specificName, specific, env);
  const base = new URL(assertDatabaseUrlSafe('DATABASE_URL', env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', env));
  base.pathname = `/${env.DATABASE_PREFIX ?? 'pipeline'}_${service}`;
  return base.toString();
}

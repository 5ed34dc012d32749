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

// Secrets: production must set them; the local default is refused there.
export function envSecret(name: string, localDefault: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value) return value;
  if (isProduction(env)) throw new Error(`${name} must be set in production`);
  return localDefault;
}

export const LOCAL_INTERNAL_SECRET = 'local-internal-secret-change-me-0123456789';
export const LOCAL_JWT_SECRET = 'local-dev-secret-change-me-0123456789abcdef';

// One PostgreSQL server locally, one database per service: the service's URL wins, else DATABASE_URL with its own name.
export function serviceDatabaseUrl(service: string, env: NodeJS.ProcessEnv = process.env): string {
  const specific = env[`${service.toUpperCase()}_DATABASE_URL`];
  if (specific) return specific;
  const base = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${env.DATABASE_PREFIX ?? 'pipeline'}_${service}`;
  return base.toString();
}

import { envSecret, LOCAL_INTERNAL_SECRET, LOCAL_JWT_SECRET, serviceDatabaseUrl } from './config';

const production = (values: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: 'production', ...values });
const failure = (action: () => unknown): string | null => {
  try {
    action();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('secrets in production', () => {
  it.each([
    ['the committed local default', LOCAL_INTERNAL_SECRET, /published default/],
    ['the committed JWT default', LOCAL_JWT_SECRET, /published default/],
    ['the test fixture', 'test-jwt-secret-0123456789abcdef0123456789', /published default/],
    ['any "change me" placeholder', 'please-change-me-before-going-live-0123456789', /published default/],
    ['a short secret', 'x'.repeat(31), /at least 32 bytes/],
  ])('refuses %s', (_label, value, message) => {
    expect(failure(() => envSecret('INTERNAL_AUTH_SECRET', LOCAL_INTERNAL_SECRET, production({ INTERNAL_AUTH_SECRET: value })))).toMatch(message);
  });

  it('refuses a missing secret and accepts a random one of 32 bytes or more', () => {
    const own = 'a3f1c9e07b5d2846a3f1c9e07b5d2846';
    expect(failure(() => envSecret('AUTH_JWT_SECRET', LOCAL_JWT_SECRET, production({})))).toMatch(/must be set in production/);
    expect(envSecret('AUTH_JWT_SECRET', LOCAL_JWT_SECRET, production({ AUTH_JWT_SECRET: own }))).toBe(own);
  });

  it('keeps the local default outside production, where a bare checkout must run', () => {
    expect(envSecret('INTERNAL_AUTH_SECRET', LOCAL_INTERNAL_SECRET, {})).toBe(LOCAL_INTERNAL_SECRET);
  });

  it('refuses a database URL with the password the old compose file published', () => {
    const env = production({ DATABASE_URL: 'postgres://postgres:local-postgres-password@postgres:5432/postgres' });
    expect(failure(() => serviceDatabaseUrl('lead', env))).toMatch(/DATABASE_URL carries a published default password/);
    expect(serviceDatabaseUrl('lead', production({ DATABASE_URL: 'postgres://postgres:s3cr3t-of-my-own@db:5432/postgres' }))).toBe(
      'postgres://postgres:s3cr3t-of-my-own@db:5432/pipeline_lead',
    );
  });
});

import { afterAttempt, assertCanManageTeamWebhooks, parseWebhookUrl } from './webhook';

const policy = { maxAttempts: 4, baseBackoffMs: 1_000, maxBackoffMs: 3_000 };
const now = new Date('2026-12-01T00:00:00Z');

describe('webhook retries', () => {
  it('delivers on success, backs off exponentially up to the cap, and dead-letters after the last attempt', () => {
    expect(afterAttempt(1, true, now, policy)).toEqual({ status: 'DELIVERED' });
    expect(afterAttempt(1, false, now, policy)).toEqual({ status: 'PENDING', nextAttemptAt: new Date(now.getTime() + 1_000) });
    expect(afterAttempt(2, false, now, policy)).toEqual({ status: 'PENDING', nextAttemptAt: new Date(now.getTime() + 2_000) });
    expect(afterAttempt(3, false, now, policy)).toEqual({ status: 'PENDING', nextAttemptAt: new Date(now.getTime() + 3_000) });
    expect(afterAttempt(4, false, now, policy)).toEqual({ status: 'DEAD' });
  });
});

describe('webhook endpoints', () => {
  it('are managed by the team’s managers and admins only', () => {
    expect(() => assertCanManageTeamWebhooks({ userId: 'm', roles: ['MANAGER'], teamId: 'north' }, 'north')).not.toThrow();
    expect(() => assertCanManageTeamWebhooks({ userId: 'a', roles: ['ADMIN'], teamId: null }, 'north')).not.toThrow();
    expect(() => assertCanManageTeamWebhooks({ userId: 'm', roles: ['MANAGER'], teamId: 'south' }, 'north')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertCanManageTeamWebhooks({ userId: 'r', roles: ['REP'], teamId: 'north' }, 'north')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('accept http(s) URLs, https only in production, and never credentials', () => {
    expect(parseWebhookUrl('http://127.0.0.1:9000/hook', false)).toBe('http://127.0.0.1:9000/hook');
    expect(() => parseWebhookUrl('http://example.com/hook', true)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => parseWebhookUrl('ftp://example.com', false)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => parseWebhookUrl('https://user:pw@example.com', false)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => parseWebhookUrl('not a url', false)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

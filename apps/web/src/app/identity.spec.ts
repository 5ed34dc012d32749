import { identityFromToken } from './identity';

const token = (claims: object) => `x.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

describe('reading who is signed in from the token', () => {
  it('takes subject, roles, team, name and expiry from the claims', () => {
    expect(identityFromToken(token({ sub: 'u1', roles: ['MANAGER'], teamId: 'north', name: 'Mona Manager', exp: 2_000_000_000 }))).toEqual({
      userId: 'u1',
      name: 'Mona Manager',
      roles: ['MANAGER'],
      teamId: 'north',
      expiresAt: 2_000_000_000_000,
    });
  });

  it('refuses tokens without a known role or a subject, and garbage', () => {
    expect(identityFromToken(token({ sub: 'u1', roles: ['ROOT'] }))).toBeNull();
    expect(identityFromToken(token({ roles: ['REP'] }))).toBeNull();
    expect(identityFromToken('not-a-token')).toBeNull();
  });
});

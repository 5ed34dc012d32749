import { SignJWT } from 'jose';
import { actorFromClaims, signIdentityToken, verifyIdentityToken } from './identity-token';
import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('the gateway-signed identity', () => {
  it('round-trips an actor', async () => {
    const actor = { userId: 'u-1', roles: ['MANAGER' as const], teamId: 'north' };
    await expect(verifyIdentityToken(await signIdentityToken(actor, SECRET), SECRET)).resolves.toEqual(actor);
  });

  it('refuses a token signed with another secret, or one not minted by the gateway', async () => {
    const token = await signIdentityToken({ userId: 'u-1', roles: ['ADMIN'], teamId: null }, 'another-secret-0123456789-0123456789');
    await expect(verifyIdentityToken(token, SECRET)).rejects.toThrow();
    const userToken = await new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    await expect(verifyIdentityToken(userToken, SECRET)).rejects.toThrow(/iss|aud/);
  });

  it('accepts only the contract roles', () => {
    expect(() => actorFromClaims({ sub: 'u', roles: ['ROOT'] })).toThrow(/roles/);
    expect(() => actorFromClaims({ sub: 'u', roles: [] })).toThrow(/roles/);
    expect(() => actorFromClaims({ roles: ['REP'] })).toThrow(/subject/);
  });
});

describe('scalars', () => {
  it('serialise dates and decimals as strings and leave input validation to the use cases', () => {
    expect(DateTimeScalar.serialize(new Date('2026-11-26T10:00:00Z'))).toBe('2026-11-26T10:00:00.000Z');
    expect(DateScalar.serialize(new Date('2027-01-31T00:00:00Z'))).toBe('2027-01-31');
    expect(DecimalScalar.serialize('12500.50')).toBe('12500.50');
    expect(DecimalScalar.parseValue('not a number')).toBe('not a number');
  });
});

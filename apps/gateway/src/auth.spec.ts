import { signUserToken } from '@pipeline/server-kit';
import { SignJWT } from 'jose';

import { AuthenticationError, createTokenVerifier } from './auth';

const SECRET = 'a-gateway-test-secret-0123456789-0123456789';
const admin = { userId: 'admin-1', roles: ['ADMIN' as const], teamId: null };
const bearer = (token: string) => `Bearer ${token}`;

// A token that expires at a known instant (exp in whole seconds), signed as the identity provider would.
const tokenUntil = (expSeconds: number, secret = SECRET) =>
  new SignJWT({ roles: ['ADMIN'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('admin-1')
    .setIssuedAt(expSeconds - 3600)
    .setExpirationTime(expSeconds)
    .sign(new TextEncoder().encode(secret));

describe('bearer tokens remembered once verified', () => {
  const exp = Date.parse('2027-01-04T10:00:00.000Z') / 1000;

  it('accepts a remembered token until its expiry and refuses it from the second it expires', async () => {
    // Arrange
    let now = (exp - 600) * 1000;
    const verify = createTokenVerifier({ mode: 'hs256', secret: SECRET }, { now: () => now });
    const token = await tokenUntil(exp);
    await expect(verify(bearer(token))).resolves.toEqual(admin);

    // Act
    now = exp * 1000 - 1;
    const lastMoment = await verify(bearer(token));
    now = exp * 1000;
    const expired = verify(bearer(token));

    // Assert
    expect(lastMoment).toEqual(admin);
    await expect(expired).rejects.toThrow(AuthenticationError);
    await expect(expired).rejects.toThrow(/exp/);
  });

  it('refuses a tampered token or one signed with another secret, after the genuine one was accepted', async () => {
    // Arrange
    const verify = createTokenVerifier({ mode: 'hs256', secret: SECRET });
    const genuine = await signUserToken(admin, SECRET);
    await expect(verify(bearer(genuine))).resolves.toEqual(admin);
    const [header, payload, signature] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const promoted = Buffer.from(JSON.stringify({ ...claims, sub: 'admin-2' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

    // Act
    const attempts = await Promise.all(
      [`${header}.${promoted}.${signature}`, `${header}.${payload}.${flipped}`, `${genuine}x`, await signUserToken(admin, `${SECRET}-other`)].map((token) =>
        verify(bearer(token)).then(
          () => 'accepted',
          (error: unknown) => (error instanceof AuthenticationError ? 'refused' : 'failed otherwise'),
        ),
      ),
    );

    // Assert
    expect(attempts).toEqual(['refused', 'refused', 'refused', 'refused']);
    await expect(verify(bearer(genuine))).resolves.toEqual(admin);
  });

  it('hands each caller its own copy of the remembered identity', async () => {
    // Arrange
    const verify = createTokenVerifier({ mode: 'hs256', secret: SECRET });
    const token = await signUserToken(admin, SECRET);
    const first = await verify(bearer(token));

    // Act
    first.roles.push('REP');
    const second = await verify(bearer(token));

    // Assert
    expect(second).toEqual(admin);
  });
});

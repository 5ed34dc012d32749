import { decodeJwt, SignJWT } from 'jose';

import {
  actorFromClaims,
  createIdentityTokenSigner,
  createIdentityTokenVerifier,
  signIdentityToken,
  signServiceToken,
  verifyIdentityToken,
  verifyServiceToken,
} from './identity-token';
import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('the service identity (service to service, no end user)', () => {
  it('names the calling service, and is never taken for a gateway identity nor the other way round', async () => {
    // Arrange
    const service = await signServiceToken('opportunity-subgraph', SECRET);
    const gateway = await signIdentityToken({ userId: 'admin-1', roles: ['ADMIN'], teamId: null }, SECRET);

    // Act / Assert
    await expect(verifyServiceToken(service, SECRET)).resolves.toBe('opportunity-subgraph');
    await expect(verifyServiceToken(gateway, SECRET)).rejects.toThrow();
    await expect(verifyIdentityToken(service, SECRET)).rejects.toThrow();
    await expect(verifyServiceToken(service, `${SECRET}-other`)).rejects.toThrow();
  });
});

describe('the gateway-signed identity', () => {
  it('round-trips an actor', async () => {
    const actor = { userId: '0b8f4a52-6a3c-4d4e-9f55-3f1d2a7c9e10', roles: ['MANAGER' as const], teamId: 'north' };
    await expect(verifyIdentityToken(await signIdentityToken(actor, SECRET), SECRET)).resolves.toEqual(actor);
  });

  it('refuses a token signed with another secret, or one not minted by the gateway', async () => {
    const token = await signIdentityToken({ userId: 'u-1', roles: ['ADMIN'], teamId: null }, 'another-secret-0123456789-0123456789');
    await expect(verifyIdentityToken(token, SECRET)).rejects.toThrow();
    const signed = (claims: { iss?: string; aud?: string; exp?: boolean; iat?: number }) => {
      const jwt = new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u');
      if (claims.iss) jwt.setIssuer(claims.iss);
      if (claims.aud) jwt.setAudience(claims.aud);
      if (claims.exp !== false) jwt.setExpirationTime('1h');
      jwt.setIssuedAt(claims.iat);
      return jwt.sign(new TextEncoder().encode(SECRET));
    };
    await expect(verifyIdentityToken(await signed({ aud: 'pipeline-subgraphs' }), SECRET)).rejects.toThrow(/iss/);
    await expect(verifyIdentityToken(await signed({ iss: 'pipeline-gateway' }), SECRET)).rejects.toThrow(/aud/);
    await expect(verifyIdentityToken(await signed({ iss: 'pipeline-gateway', aud: 'pipeline-subgraphs', exp: false }), SECRET)).rejects.toThrow(/exp/);
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    await expect(verifyIdentityToken(await signed({ iss: 'pipeline-gateway', aud: 'pipeline-subgraphs', iat: anHourAgo }), SECRET)).rejects.toThrow(
      /iat|age|timestamp/,
    );
    await expect(verifyIdentityToken(await signed({ iss: 'pipeline-gateway', aud: 'pipeline-subgraphs' }), SECRET)).resolves.toMatchObject({ userId: 'u' });
  });

  it('accepts only the contract roles', () => {
    expect(() => actorFromClaims({ sub: 'u', roles: ['ROOT'] })).toThrow(/roles/);
    expect(() => actorFromClaims({ sub: 'u', roles: [] })).toThrow(/roles/);
    expect(() => actorFromClaims({ roles: ['REP'] })).toThrow(/subject/);
  });

  it('needs a SalesRep id as the subject of reps and managers, any id for analysts and admins', () => {
    expect(() => actorFromClaims({ sub: 'rep-1', roles: ['REP'] })).toThrow(/SalesRep id/);
    expect(() => actorFromClaims({ sub: 'auth0|42', roles: ['ANALYST', 'MANAGER'] })).toThrow(/SalesRep id/);
    expect(actorFromClaims({ sub: 'auth0|42', roles: ['ANALYST'] })).toMatchObject({ userId: 'auth0|42' });
  });

  it('reads a UUID subject in lower case, as the database returns owner ids', () => {
    expect(actorFromClaims({ sub: 'A1B2C3D4-0000-4000-8000-00000000ABCD', roles: ['REP'] }).userId).toBe('a1b2c3d4-0000-4000-8000-00000000abcd');
  });
});

describe("the gateway's identity tokens, one per actor for a while", () => {
  const manager = { userId: '0b8f4a52-6a3c-4d4e-9f55-3f1d2a7c9e10', roles: ['MANAGER' as const], teamId: 'north' };

  it('hands one actor the same token within the reuse window, a token subgraphs accept as that actor', async () => {
    // Arrange
    const sign = createIdentityTokenSigner(SECRET);

    // Act
    const first = await sign(manager);
    const again = await sign({ ...manager, roles: [...manager.roles] });

    // Assert
    expect(again).toBe(first);
    await expect(verifyIdentityToken(again, SECRET)).resolves.toEqual(manager);
  });

  it('never hands a token to an actor who differs in any claim', async () => {
    // Arrange
    const sign = createIdentityTokenSigner(SECRET);
    const others = [
      { ...manager, userId: '1c9f4a52-6a3c-4d4e-9f55-3f1d2a7c9e11' },
      { ...manager, roles: ['MANAGER' as const, 'ADMIN' as const] },
      { ...manager, teamId: 'south' },
      { ...manager, teamId: null },
    ];
    await sign(manager);

    // Act
    const tokens = await Promise.all(others.map((actor) => sign(actor)));

    // Assert
    await expect(Promise.all(tokens.map((token) => verifyIdentityToken(token, SECRET)))).resolves.toEqual(others);
  });

  it('signs a new token once the window has passed, so a token handed out still has a minute of its two ahead', async () => {
    // Arrange
    let now = Date.parse('2027-01-04T10:00:00.000Z');
    const sign = createIdentityTokenSigner(SECRET, { now: () => now });
    const first = await sign(manager);

    // Act
    now += 59_999;
    const late = await sign(manager);
    now += 1;
    const renewed = await sign(manager);

    // Assert
    expect(late).toBe(first);
    expect(renewed).not.toBe(first);
    const claims = decodeJwt(renewed);
    expect([claims.iat, (claims.exp as number) - (claims.iat as number)]).toEqual([now / 1000, 120]);
  });
});

describe('a subgraph remembering the identity tokens it verified', () => {
  const admin = { userId: 'admin-1', roles: ['ADMIN' as const], teamId: null };
  const issued = Date.parse('2027-01-04T10:00:00.000Z') / 1000;
  // A gateway token issued at `iat` and expiring at `exp` (seconds), signed with `secret`.
  const gatewayToken = (iat: number, exp: number, secret = SECRET) =>
    new SignJWT({ roles: ['ADMIN'], teamId: null })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('admin-1')
      .setIssuer('pipeline-gateway')
      .setAudience('pipeline-subgraphs')
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));
  const outcome = (verification: Promise<unknown>) =>
    verification.then(
      () => 'accepted',
      () => 'refused',
    );

  it.each([
    ['expiring as the gateway signs it', 120, 125],
    ['expiring long after it was issued (maxTokenAge decides)', 3600, 126],
  ])('decides a remembered token %s as a fresh verification would, at every instant around its end', async (_label, lifetime, end) => {
    // Arrange
    const token = await gatewayToken(issued, issued + lifetime);
    let now = issued * 1000;
    const remembering = createIdentityTokenVerifier(SECRET, { now: () => now });
    await expect(remembering(token)).resolves.toEqual(admin);
    const instants = [end * 1000 - 1001, end * 1000 - 1, end * 1000, end * 1000 + 1].map((offset) => issued * 1000 + offset);

    // Act
    const remembered: string[] = [];
    const fresh: string[] = [];
    for (const instant of instants) {
      now = instant;
      remembered.push(await outcome(remembering(token)));
      fresh.push(await outcome(createIdentityTokenVerifier(SECRET, { now: () => instant })(token)));
    }

    // Assert
    expect(remembered).toEqual(['accepted', 'accepted', 'refused', 'refused']);
    expect(remembered).toEqual(fresh);
  });

  it('refuses a tampered token or one signed with another secret, after the genuine one was accepted', async () => {
    // Arrange
    const verify = createIdentityTokenVerifier(SECRET);
    const genuine = await signIdentityToken(admin, SECRET);
    await expect(verify(genuine)).resolves.toEqual(admin);
    const [header, payload, signature] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const promoted = Buffer.from(JSON.stringify({ ...claims, sub: 'admin-2' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

    // Act
    const attempts = [`${header}.${promoted}.${signature}`, `${header}.${payload}.${flipped}`, await signIdentityToken(admin, `${SECRET}-other`)].map((token) =>
      outcome(verify(token)),
    );

    // Assert
    await expect(Promise.all(attempts)).resolves.toEqual(['refused', 'refused', 'refused']);
    await expect(verify(genuine)).resolves.toEqual(admin);
  });

  it('checks a remembered token again when the clock is set back to before it was checked', async () => {
    // Arrange
    const token = await gatewayToken(issued, issued + 120);
    let now = issued * 1000;
    const verify = createIdentityTokenVerifier(SECRET, { now: () => now });
    await expect(verify(token)).resolves.toEqual(admin);

    // Act
    now = (issued - 60) * 1000;
    const beforeIssued = outcome(verify(token));

    // Assert
    await expect(beforeIssued).resolves.toBe('refused');
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

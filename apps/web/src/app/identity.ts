// Who is signed in, as the bearer token says; the gateway checks the same claims on every call.
export type Role = 'REP' | 'MANAGER' | 'ANALYST' | 'ADMIN';

export interface Identity {
  userId: string;
  name: string;
  roles: Role[];
  teamId: string | null;
  // Milliseconds since the epoch.
  expiresAt: number;
}

const ROLES: readonly Role[] = ['REP', 'MANAGER', 'ANALYST', 'ADMIN'];

const decodeSegment = (segment: string): Record<string, unknown> => {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

// Reads the claims only (the browser cannot verify the signature; the gateway does).
export function identityFromToken(token: string): Identity | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = decodeSegment(payload);
    const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((role): role is Role => ROLES.includes(role as Role));
    if (typeof claims.sub !== 'string' || roles.length === 0) return null;
    const name = typeof claims.name === 'string' ? claims.name : typeof claims.email === 'string' ? claims.email : claims.sub;
    return {
      userId: claims.sub,
      name,
      roles,
      teamId: typeof claims.teamId === 'string' ? claims.teamId : null,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : 0,
    };
  } catch {
    return null;
  }
}

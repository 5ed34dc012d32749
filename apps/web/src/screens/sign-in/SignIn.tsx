import { useEffect, useState } from 'react';

import { useSession } from '../../app/session';

interface DevUser {
  id: string;
  name: string;
  role: 'REP' | 'MANAGER' | 'ANALYST' | 'ADMIN';
  teamId: string | null;
}

const ROLE_ORDER = ['REP', 'MANAGER', 'ANALYST', 'ADMIN'] as const;
const ROLE_TITLES = { REP: 'Sales reps', MANAGER: 'Managers', ANALYST: 'Analysts', ADMIN: 'Admins' } as const;

// Outside production: pick a seeded user; the gateway's developer endpoint signs a token for them.
function DevSignIn() {
  const { signInWithToken } = useSession();
  const [users, setUsers] = useState<DevUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    fetch('/auth/dev/users')
      .then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
        setUsers(body.users as DevUser[]);
      })
      .catch((failure: Error) => setError(failure.message));
  }, []);

  const signIn = async (user: DevUser) => {
    setBusy(user.id);
    setError(null);
    try {
      const response = await fetch('/auth/dev/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: user.id }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
      signInWithToken(body.token as string);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const reps = users?.filter((user) => user.role === 'REP' || user.role === 'MANAGER') ?? [];
  return (
    <>
      <p>Development sign-in: choose who you are. Production uses your company's identity provider.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {users === null && !error && <p aria-busy="true">Loading users…</p>}
      {users !== null && reps.length === 0 && (
        <p className="notice">
          No sales reps yet. Run <code>npm run seed</code> to add reps, managers and leads, then reload.
        </p>
      )}
      {users !== null &&
        ROLE_ORDER.map((role) => {
          const group = users.filter((user) => user.role === role);
          if (group.length === 0) return null;
          return (
            <section key={role} className="sign-in-group" aria-labelledby={`role-${role}`}>
              <h2 id={`role-${role}`}>{ROLE_TITLES[role]}</h2>
              <ul className="user-list">
                {group.map((user) => (
                  <li key={user.id}>
                    <button type="button" onClick={() => void signIn(user)} disabled={busy !== null} data-user-id={user.id}>
                      <span className="user-name">{user.name}</span>
                      {user.teamId && <span className="muted"> · team {user.teamId}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
    </>
  );
}

function ProviderSignIn() {
  const { signInWithProvider, providerReady } = useSession();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <p>Sign in with your company account.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button
        type="button"
        className="primary"
        disabled={!providerReady}
        onClick={() => signInWithProvider().catch((failure: Error) => setError(failure.message))}
      >
        Sign in
      </button>
    </>
  );
}

export function SignIn() {
  const { config } = useSession();
  return (
    <main id="main" className="page sign-in">
      <h1>Sign in to Pipeline</h1>
      {config.auth.mode === 'dev' && <DevSignIn />}
      {config.auth.mode === 'oidc' && <ProviderSignIn />}
      {config.auth.mode === 'none' && (
        <p role="alert">Sign-in is not configured on this server: set WEB_OIDC_AUTHORITY and WEB_OIDC_CLIENT_ID on the gateway.</p>
      )}
    </main>
  );
}

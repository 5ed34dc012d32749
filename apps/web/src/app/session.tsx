import type { UserManager } from 'oidc-client-ts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

import { type Identity, identityFromToken } from './identity';
import type { WebConfig } from './web-config';

export interface Session {
  token: string;
  identity: Identity;
}

interface SessionState {
  config: WebConfig;
  session: Session | null;
  signInWithToken(token: string): void;
  signInWithProvider(): Promise<void>;
  completeProviderSignIn(): Promise<void>;
  signOut(): void;
  // The OIDC client is loaded on demand; sign-in waits for it.
  providerReady: boolean;
}

const SessionContext = createContext<SessionState | null>(null);
const STORAGE_KEY = 'pipeline.session.token';

const sessionOf = (token: string | null): Session | null => {
  const identity = token ? identityFromToken(token) : null;
  return token && identity && identity.expiresAt > Date.now() ? { token, identity } : null;
};

// Tokens live in sessionStorage: per tab, gone when the tab closes, never in a cookie the gateway would have to trust.
export function SessionProvider({ config, children }: { config: WebConfig; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => sessionOf(window.sessionStorage.getItem(STORAGE_KEY)));
  const [userManager, setUserManager] = useState<UserManager | null>(null);

  useEffect(() => {
    const auth = config.auth;
    if (auth.mode !== 'oidc') return;
    let cancelled = false;
    void import('./oidc').then(({ createUserManager }) => {
      if (cancelled) return;
      const manager = createUserManager(auth);
      // A silent renewal replaces the token without a page load.
      manager.events.addUserLoaded((user) => setSession(sessionOf(user.access_token)));
      manager.events.addUserSignedOut(() => setSession(null));
      setUserManager(manager);
    });
    return () => {
      cancelled = true;
    };
  }, [config.auth]);

  useEffect(() => {
    if (session) window.sessionStorage.setItem(STORAGE_KEY, session.token);
    else window.sessionStorage.removeItem(STORAGE_KEY);
    if (!session) return;
    // Signed out when the token expires, instead of failing every call from then on.
    const timer = window.setTimeout(() => setSession(null), Math.min(session.identity.expiresAt - Date.now(), 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [session]);

  const signInWithToken = useCallback((token: string) => setSession(sessionOf(token)), []);
  const signInWithProvider = useCallback(async () => {
    if (!userManager) throw new Error('The identity provider is not configured');
    await userManager.signinRedirect({ state: window.location.pathname });
  }, [userManager]);
  const completeProviderSignIn = useCallback(async () => {
    if (!userManager) return;
    const user = await userManager.signinRedirectCallback();
    setSession(sessionOf(user.access_token));
  }, [userManager]);
  const signOut = useCallback(() => {
    setSession(null);
    void userManager?.removeUser();
  }, [userManager]);

  const value = useMemo(
    () => ({ config, session, signInWithToken, signInWithProvider, completeProviderSignIn, signOut, providerReady: userManager !== null }),
    [config, session, signInWithToken, signInWithProvider, completeProviderSignIn, signOut, userManager],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

// Screens below the sign-in gate always have an identity.
export function useIdentity(): Identity {
  const { session } = useSession();
  if (!session) throw new Error('useIdentity without a session');
  return session.identity;
}

import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';

import { useSession } from '../../app/session';

// The identity provider sends the browser back here with a code; oidc-client-ts redeems it with the PKCE verifier.
export function SignInCallback() {
  const { completeProviderSignIn, providerReady } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!providerReady) return;
    completeProviderSignIn().then(
      () => navigate('/board', { replace: true }),
      (failure: Error) => setError(failure.message),
    );
  }, [providerReady, completeProviderSignIn, navigate]);
  return (
    <main id="main" className="page sign-in">
      <h1>Signing in…</h1>
      {error && (
        <p role="alert" className="error">
          Sign-in failed: {error}
        </p>
      )}
    </main>
  );
}

import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

import { CALLBACK_PATH } from './oidc-paths';
import type { AuthSettings } from './web-config';

// Authorization code flow with PKCE (oidc-client-ts does both by default); loaded only when the gateway is set up for it.

export function createUserManager(settings: Extract<AuthSettings, { mode: 'oidc' }>): UserManager {
  return new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: settings.scope,
    extraQueryParams: settings.audience ? { audience: settings.audience } : {},
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
  });
}

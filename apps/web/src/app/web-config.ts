// Served by the gateway from its environment, so one build runs in every environment.
export type AuthSettings = { mode: 'dev' } | { mode: 'oidc'; authority: string; clientId: string; scope: string; audience?: string } | { mode: 'none' };

export interface WebConfig {
  auth: AuthSettings;
  liveUpdates: boolean;
}

export async function loadWebConfig(): Promise<WebConfig> {
  const response = await fetch('/web-config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The gateway did not send its settings (HTTP ${response.status})`);
  return (await response.json()) as WebConfig;
}

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { envInt } from '@pipeline/server-kit';
import type { Express } from 'express';

export interface ReadinessSettings {
  // Subgraphs whose own readiness decides the gateway's; the others are shown without deciding it.
  required: string[];
  timeoutMs: number;
}

export interface SubgraphReadiness {
  ready: boolean;
  status?: number;
  error?: string;
  // Failing background checks of a subgraph that still serves (e.g. its Kafka consumers).
  degraded?: string[];
}

export interface GatewayReadiness {
  ready: boolean;
  subgraphs: Record<string, SubgraphReadiness>;
}

export function readinessSettingsFromEnv(subgraphs: string[], env: NodeJS.ProcessEnv = process.env): ReadinessSettings {
  const listed = env.GATEWAY_REQUIRED_SUBGRAPHS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = (listed ?? []).filter((name) => !subgraphs.includes(name));
  if (unknown.length > 0) throw new Error(`GATEWAY_REQUIRED_SUBGRAPHS names unknown subgraphs: ${unknown.join(', ')} (known: ${subgraphs.join(', ')})`);
  return { required: listed ?? subgraphs, timeoutMs: envInt('GATEWAY_READINESS_TIMEOUT_MS', 2_000, env) };
}

// A subgraph's readiness endpoint sits beside its GraphQL endpoint (server-kit's /health/ready).
const readinessUrlOf = (graphqlUrl: string) => new URL('/health/ready', graphqlUrl).toString();

// Checks of a subgraph's background work: failing, they delay events but the subgraph still answers the graph, so a
// Kafka outage does not take every gateway out of the load balancer.
const BACKGROUND_CHECKS = new Set(['consumers']);

async function probe(graphqlUrl: string, timeoutMs: number): Promise<SubgraphReadiness> {
  try {
    const response = await fetch(readinessUrlOf(graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, boolean> };
    if (response.ok) return { ready: true, status: response.status };
    const failing = Object.entries(body.checks ?? {})
      .filter(([, passed]) => !passed)
      .map(([name]) => name);
    if (failing.length > 0 && failing.every((name) => BACKGROUND_CHECKS.has(name))) return { ready: true, status: response.status, degraded: failing };
    return { ready: false, status: response.status, error: `answered ${response.status}${failing.length > 0 ? ` (${failing.join(', ')})` : ''}` };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return {
      ready: false,
      error: (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `unreachable (${cause ?? (error as Error).message})`,
    };
  }
}

// Ready only when every required subgraph says it is: a load balancer then sends no traffic to a gateway that would
// answer SUBGRAPH_UNAVAILABLE for the fields it needs.
export async function checkReadiness(subgraphUrls: Record<string, string>, settings: ReadinessSettings): Promise<GatewayReadiness> {
  const entries = await Promise.all(Object.entries(subgraphUrls).map(async ([name, url]) => [name, await probe(url, settings.timeoutMs)] as const));
  const subgraphs = Object.fromEntries(entries);
  return { ready: settings.required.every((name) => subgraphs[name]?.ready === true), subgraphs };
}

export function mountReadiness(
  app: Express,
  subgraphUrls: Record<string, string>,
  settings: ReadinessSettings = readinessSettingsFromEnv(Object.keys(subgraphUrls), {}),
): void {
  app.get('/health/ready', async (_request, response) => {
    const { ready, subgraphs } = await checkReadiness(subgraphUrls, settings);
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', service: 'gateway', required: settings.required, subgraphs });
  });
}

// Apollo Server sends usage reports (operations, field usage) to Apollo's cloud as soon as APOLLO_KEY and
// APOLLO_GRAPH_REF are in the environment; nothing leaves the network unless an operator asks for it explicitly.
export function apolloReportingPlugins(env: NodeJS.ProcessEnv = process.env): ApolloServerPlugin<BaseContext>[] {
  return env.GATEWAY_APOLLO_USAGE_REPORTING === 'on' ? [] : [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}

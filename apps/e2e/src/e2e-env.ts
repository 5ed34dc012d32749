import type { Actor } from '@pipeline/domain';
import { gatewayClient, type GraphQLCall, mintUserToken } from '@pipeline/testing';

// What the global setup started, as the tests see it.
export const gatewayUrl = (): string => {
  const url = process.env.E2E_GATEWAY_URL;
  if (!url) throw new Error('E2E_GATEWAY_URL is not set: run through the e2e Jest project');
  return url;
};

export const topicPrefix = (): string => process.env.E2E_TOPIC_PREFIX ?? '';

export const serviceUrls = (): Record<string, string> => JSON.parse(process.env.E2E_SERVICE_URLS ?? '{}');

export async function callAs(actor: Actor): Promise<GraphQLCall> {
  return gatewayClient(gatewayUrl(), await mintUserToken(actor));
}

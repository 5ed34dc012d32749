import { createCloudEvent, TOPICS } from '@pipeline/events';
import { errorCodes, expectNoErrors, gatewayClient, type GraphQLCall, mintUserToken, waitFor } from '@pipeline/testing';

// Arranging data through the gateway (and, for the past no API writes, through events) for the browser specs.
export const DAY = 86_400_000;

export const as = async (actor: Parameters<typeof mintUserToken>[0]): Promise<GraphQLCall> =>
  gatewayClient(process.env.WEB_E2E_GATEWAY_URL as string, await mintUserToken(actor));

export async function createOpportunity(call: GraphQLCall, ownerId: string, name: string, amount = '30000'): Promise<string> {
  const data = expectNoErrors(
    await call<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
      input: {
        name,
        accountName: `${name} Ltd`,
        industry: 'Software',
        ownerId,
        amount: { amount, currency: 'EUR' },
        expectedCloseDate: new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10),
      },
    }),
  );
  return data.createOpportunity.opportunity.id;
}

// The deal service knows an opportunity by event a moment after it was created: closing waits for that, nothing else.
export async function closeLost(call: GraphQLCall, opportunityId: string): Promise<void> {
  await waitFor(
    async () => {
      const response = await call(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, {
        input: { opportunityId, outcome: 'LOST', lostReason: 'PRICE' },
      });
      if (errorCodes(response).includes('NOT_FOUND')) return false;
      expectNoErrors(response);
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 300, what: `the deal service to know opportunity ${opportunityId}` },
  );
}

export interface Stage {
  key: string;
  position: number;
  category: 'OPEN' | 'WON' | 'LOST';
  probability: number;
}

// An opportunity's past as the opportunity service would have published it then: created, then each stage move.
export function stageHistory(pipelineId: string, ownerId: string, name: string, amount: string, moves: Array<{ stage: Stage; at: Date }>) {
  const id = crypto.randomUUID();
  const createdAt = moves[0].at;
  return moves.map((move, index) => ({
    topic: TOPICS.stageChanged,
    event: createCloudEvent({
      type: 'sales.opportunity.stage_changed.v1',
      source: '/web-e2e/history',
      subject: id,
      time: move.at,
      data: {
        opportunityId: id,
        pipelineId,
        fromStage: index === 0 ? null : moves[index - 1].stage.key,
        toStage: move.stage.key,
        toStageCategory: move.stage.category,
        changedAt: move.at.toISOString(),
        changedBy: ownerId,
        reason: null,
        version: index + 1,
        previousStageEnteredAt: index === 0 ? null : moves[index - 1].at.toISOString(),
        opportunity: {
          name,
          accountName: `${name} Ltd`,
          industry: 'Software',
          amount: { amount, currency: 'EUR' },
          probability: move.stage.probability,
          ownerId,
          leadId: null,
          leadSource: 'REFERRAL' as const,
          expectedCloseDate: null,
          createdAt: createdAt.toISOString(),
          status: move.stage.category,
        },
        toStagePosition: move.stage.position,
        ...(index === 0 ? {} : { fromStagePosition: moves[index - 1].stage.position }),
        stageSequence: index + 1,
      },
    }),
  }));
}

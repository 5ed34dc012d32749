import { randomUUID } from 'node:crypto';

import { type EventDataMap, type EventType, TOPICS } from '@pipeline/events';
import type { QueryCounter } from '@pipeline/persistence';
import { LOCAL_INTERNAL_SECRET, type PersonalDataOpener } from '@pipeline/server-kit';
import { expectNoErrors, type Fact, type GraphQLCall, publishFacts, startTestService, type TestService } from '@pipeline/testing';

import { opportunityService } from './server';

// Shared arrangements for the opportunity subgraph's integration tests (real PostgreSQL and Kafka).
export async function startOpportunityService(label: string, sqlLogger?: QueryCounter, personalData?: PersonalDataOpener): Promise<TestService> {
  return startTestService(
    label,
    opportunityService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, settings: { leadSnapshotWaitMs: 5_000 }, personalData }),
    { sqlLogger },
  );
}

export const OPPORTUNITY_FIELDS =
  'id name version status stage { key } amount { amount currency } probability probabilityOverride expectedCloseDate owner { id } stageHistory { fromStage toStage reason version } lostReason';

export async function createOpportunity(call: GraphQLCall, input: Record<string, unknown> = {}): Promise<any> {
  return expectNoErrors(
    await call<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { ${OPPORTUNITY_FIELDS} } } }`, {
      input: { name: 'Expansion', accountName: `Account ${randomUUID()}`, ...input },
    }),
  ).createOpportunity.opportunity;
}

export function moveStage(call: GraphQLCall, opportunityId: string, toStage: string, extra: Record<string, unknown> = {}) {
  return call<any>(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { ${OPPORTUNITY_FIELDS} } } }`, {
    input: { opportunityId, toStage, ...extra },
  });
}

export async function readOpportunity(call: GraphQLCall, id: string): Promise<any> {
  return expectNoErrors(await call<any>(`query($id: ID!) { opportunity(id: $id) { ${OPPORTUNITY_FIELDS} stalled deferredUntil } }`, { id })).opportunity;
}

// Another service's fact, published as that service would (same envelope, same topic, same key).
export async function publish<T extends EventType>(service: TestService, topic: string, type: T, subject: string, data: EventDataMap[T]): Promise<string> {
  const [id] = await publishAll(service, topic, [{ type, subject, data }]);
  return id;
}

// Several facts in one produce request, so the consumer receives them together (one batch, in this order).
export function publishAll<T extends EventType>(
  service: TestService,
  topic: string,
  facts: Array<{ type: T; subject: string; data: EventDataMap[T] }>,
): Promise<string[]> {
  return publishFacts(
    service.topicPrefix,
    facts.map((fact) => ({ topic, ...fact }) as Fact),
  );
}

export async function publishRep(service: TestService, repId: string, teamId: string | null): Promise<void> {
  await publish(service, TOPICS.repEvents, 'sales.rep.registered.v1', repId, {
    repId,
    name: 'Rep',
    email: `${repId}@example.com`,
    role: 'REP',
    teamId,
    active: true,
    version: 1,
  });
}

export function dealEventData(opportunityId: string) {
  return { opportunityId, dealId: randomUUID(), occurredAt: new Date().toISOString(), actorId: null };
}

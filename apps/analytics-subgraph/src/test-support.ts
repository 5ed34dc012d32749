import { randomUUID } from 'node:crypto';

import { type AnyPipelineEvent, createCloudEvent, type EventDataMap, type EventType, TOPICS } from '@pipeline/events';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { expectNoErrors, type GraphQLCall, startTestService, testKafkaBrokers, type TestService, waitFor, waitForTopicLeaders } from '@pipeline/testing';
import Decimal from 'decimal.js';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger as TypeOrmLogger } from 'typeorm';

import { analyticsService } from './server';

export const NOW = new Date('2027-01-01T00:00:00Z');
export const PIPELINE_ID = '00000000-0000-4000-8000-000000000001';

export const startAnalytics = (
  label: string,
  options: { topicPrefix?: string; consumerGroup?: string; sqlLogger?: TypeOrmLogger; exactPercentileLimit?: number; foldIntervalMs?: number } = {},
): Promise<TestService> =>
  startTestService(
    label,
    analyticsService({
      config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false },
      now: () => NOW,
      consumerGroup: options.consumerGroup,
      weeklyJobIntervalMs: 0,
      exactPercentileLimit: options.exactPercentileLimit,
      foldIntervalMs: options.foldIntervalMs,
    }),
    {
      topicPrefix: options.topicPrefix,
      sqlLogger: options.sqlLogger,
    },
  );

const STAGES = [
  { key: 'QUALIFICATION', position: 1, category: 'OPEN' as const, probability: 0.1 },
  { key: 'PROPOSAL', position: 2, category: 'OPEN' as const, probability: 0.4 },
  { key: 'NEGOTIATION', position: 3, category: 'OPEN' as const, probability: 0.6 },
  { key: 'CLOSED_WON', position: 4, category: 'WON' as const, probability: 1 },
  { key: 'CLOSED_LOST', position: 5, category: 'LOST' as const, probability: 0 },
];

export interface Published {
  topic: string;
  key: string;
  event: AnyPipelineEvent;
}

export interface History {
  events: Published[];
  reps: Array<{ id: string; teamId: string }>;
  stageEventCount: number;
}

// A seeded, realistic history: reps in two teams, opportunities created over 2026 that advance, slip back, win or
// lose, in two currencies, plus leads by source of which some converted. Same seed, same history.
export function syntheticHistory(seed: number, opportunityCount: number): History {
  let state = seed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const reps = [
    { id: randomUUID(), teamId: 'north' },
    { id: randomUUID(), teamId: 'north' },
    { id: randomUUID(), teamId: 'south' },
  ];
  const events: Published[] = [];
  const push = <T extends EventType>(topic: string, type: T, key: string, data: EventDataMap[T], time: Date) =>
    events.push({ topic, key, event: createCloudEvent({ type, source: '/test/history', subject: key, data, time }) as AnyPipelineEvent });
  reps.forEach((rep, index) =>
    push(
      TOPICS.repEvents,
      'sales.rep.registered.v1',
      rep.id,
      { repId: rep.id, name: `Rep ${index}`, email: `rep${index}@example.com`, role: 'REP', teamId: rep.teamId, active: true, version: 1 },
      new Date('2026-01-01'),
    ),
  );
  let stageEventCount = 0;
  for (let index = 0; index < opportunityCount; index += 1) {
    const id = randomUUID();
    const owner = pick(reps);
    const currency = random() < 0.7 ? 'EUR' : 'USD';
    const amount = { amount: (Math.round(random() * 90_000) + 1_000).toFixed(2), currency };
    const source = pick(['REFERRAL', 'EVENT', 'INBOUND'] as const);
    const industry = pick(['Software', 'Retail']);
    const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000 + Math.floor(random() * 86_400_000));
    const snapshot = (stage: (typeof STAGES)[number]) => ({
      name: `Opportunity ${index}`,
      accountName: `Account ${index}`,
      industry,
      amount,
      probability: stage.probability,
      ownerId: owner.id,
      leadId: null,
      leadSource: source,
      expectedCloseDate: null,
      createdAt: createdAt.toISOString(),
      status: stage.category,
    });
    let current = STAGES[0];
    let enteredAt = createdAt;
    let version = 1;
    push(
      TOPICS.stageChanged,
      'sales.opportunity.stage_changed.v1',
      id,
      {
        opportunityId: id,
        pipelineId: PIPELINE_ID,
        fromStage: null,
        toStage: current.key,
        toStageCategory: 'OPEN',
        changedAt: createdAt.toISOString(),
        changedBy: owner.id,
        reason: null,
        version,
        previousStageEnteredAt: null,
        opportunity: snapshot(current),
        toStagePosition: current.position,
        stageSequence: version,
      },
      createdAt,
    );
    stageEventCount += 1;
    const steps = Math.floor(random() * 7);
    for (let step = 0; step < steps && current.category === 'OPEN'; step += 1) {
      const roll = random();
      const next =
        roll < 0.12
          ? STAGES[4]
          : roll < 0.6 && current.position === 3
            ? STAGES[3]
            : roll < 0.3 && current.position > 1
              ? STAGES[current.position - 2]
              : STAGES[Math.min(current.position, 2)];
      if (next.key === current.key) continue;
      const at = new Date(enteredAt.getTime() + Math.floor(random() * 40 * 86_400_000) + 3_600_000);
      if (at >= NOW) break;
      version += 1;
      push(
        TOPICS.stageChanged,
        'sales.opportunity.stage_changed.v1',
        id,
        {
          opportunityId: id,
          pipelineId: PIPELINE_ID,
          fromStage: current.key,
          toStage: next.key,
          toStageCategory: next.category,
          changedAt: at.toISOString(),
          changedBy: owner.id,
          reason: next.category === 'LOST' ? 'PRICE' : null,
          version,
          previousStageEnteredAt: enteredAt.toISOString(),
          opportunity: snapshot(next),
          toStagePosition: next.position,
          fromStagePosition: current.position,
          stageSequence: version,
        },
        at,
      );
      stageEventCount += 1;
      if (next.category === 'LOST') {
        push(
          TOPICS.dealEvents,
          'sales.deal.closed.v1',
          id,
          {
            opportunityId: id,
            dealId: randomUUID(),
            occurredAt: at.toISOString(),
            actorId: owner.id,
            outcome: 'LOST',
            lostReason: pick(['PRICE', 'COMPETITOR'] as const),
            closeNote: null,
            closedAt: at.toISOString(),
            deferredUntil: null,
            amount,
            competitor: random() < 0.5 ? 'Globex' : null,
          },
          at,
        );
      }
      current = next;
      enteredAt = at;
    }
  }
  for (let index = 0; index < opportunityCount; index += 1) {
    const leadId = randomUUID();
    const source = pick(['REFERRAL', 'EVENT', 'INBOUND', 'SOCIAL_MEDIA'] as const);
    const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 330) * 86_400_000);
    const lead = (status: 'NEW' | 'CONVERTED') => ({
      name: `Lead ${index}`,
      company: `Co ${index}`,
      email: null,
      industry: null,
      region: null,
      source,
      sourceDetail: null,
      status,
      score: 50,
      ownerId: pick(reps).id,
      ownerTeamId: null,
      estimatedValue: null,
      need: null,
      opportunityId: null,
      createdAt: createdAt.toISOString(),
    });
    push(TOPICS.leadEvents, 'sales.lead.created.v1', leadId, { leadId, version: 1, lead: lead('NEW') }, createdAt);
    if (random() < (source === 'REFERRAL' ? 0.6 : 0.2)) {
      push(
        TOPICS.leadEvents,
        'sales.lead.converted.v1',
        leadId,
        { leadId, version: 2, lead: lead('CONVERTED'), opportunityId: randomUUID(), convertedAt: new Date(createdAt.getTime() + 86_400_000).toISOString() },
        createdAt,
      );
    }
  }
  return { events, reps, stageEventCount };
}

export async function publishAll(prefix: string, events: Published[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'history', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  await waitForTopicLeaders(kafka, [...new Set(events.map(({ topic }) => `${prefix}${topic}`))]);
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < events.length; start += 500) {
    const byTopic = new Map<string, Array<{ key: string; value: string }>>();
    for (const { topic, key, event } of events.slice(start, start + 500))
      byTopic.set(`${prefix}${topic}`, [...(byTopic.get(`${prefix}${topic}`) ?? []), { key, value: JSON.stringify(event) }]);
    await producer.sendBatch({ topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
}

// ---------------------------------------------------------------- the KPIs, computed independently from the events

const DAY = 86_400_000;
const quantile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
};
const POSITION: Record<string, number> = { QUALIFICATION: 1, PROPOSAL: 2, NEGOTIATION: 3, CLOSED_WON: 4, CLOSED_LOST: 5 };

export interface ExpectedFilter {
  from?: string;
  to?: string;
  ownerIds?: string[];
  // A series bucket's end: its open pipeline is the one at that instant, and stalls are measured up to it.
  asOf?: string;
}

// Every stage event of each opportunity, oldest version first.
export function stageHistories(history: History, ownerIds?: string[]): any[][] {
  const byOpportunity = new Map<string, any[]>();
  for (const { event } of history.events) {
    if (event.type !== 'sales.opportunity.stage_changed.v1') continue;
    const data = event.data as any;
    byOpportunity.set(data.opportunityId, [...(byOpportunity.get(data.opportunityId) ?? []), data]);
  }
  return [...byOpportunity.values()]
    .map((list) => list.sort((a, b) => a.version - b.version))
    .filter((list) => !ownerIds || ownerIds.includes(list[0].opportunity.ownerId));
}

// Stage-to-next-stage conversion: of the opportunities whose first entry into a stage in the period, the share that later
// reached the next stage or a later one that is not lost.
export function expectedConversions(opportunities: any[][], inPeriod: (time: number) => boolean = () => true) {
  return [
    ['QUALIFICATION', 'PROPOSAL'],
    ['PROPOSAL', 'NEGOTIATION'],
    ['NEGOTIATION', 'CLOSED_WON'],
  ]
    .map(([fromStage, toStage]) => {
      let entered = 0;
      let advanced = 0;
      for (const list of opportunities) {
        const index = list.findIndex((data) => data.toStage === fromStage && inPeriod(Date.parse(data.changedAt)));
        if (index < 0) continue;
        entered += 1;
        if (list.slice(index + 1).some((data) => POSITION[data.toStage] >= POSITION[toStage] && data.toStageCategory !== 'LOST')) advanced += 1;
      }
      return { fromStage, toStage, entered, advanced, rate: entered === 0 ? null : advanced / entered };
    })
    .filter((row) => row.entered > 0);
}

export function expectedMetrics(history: History, filter: ExpectedFilter) {
  const from = filter.from ? new Date(filter.from).getTime() : -Infinity;
  const to = filter.to ? new Date(filter.to).getTime() : Infinity;
  const asOf = filter.asOf ? Date.parse(filter.asOf) : null;
  const inPeriod = (time: number) => time >= from && time < to;
  const opportunities = stageHistories(history, filter.ownerIds);

  const money = (entries: Array<[string, Decimal]>) => {
    const totals = new Map<string, Decimal>();
    for (const [currency, value] of entries) totals.set(currency, (totals.get(currency) ?? new Decimal(0)).plus(value));
    return [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, total]) => ({ amount: total.toFixed(2, Decimal.ROUND_HALF_UP), currency }));
  };
  const open = opportunities.filter((list) => list[list.length - 1].toStageCategory === 'OPEN').map((list) => list[list.length - 1]);
  // The stage each opportunity was in at asOf (amounts and probabilities are the opportunity's current ones).
  const openAt =
    asOf === null
      ? open.map((last) => ({ stage: last.toStage, last }))
      : opportunities.flatMap((list) => {
          const at = list.find(
            (data, index) => Date.parse(data.changedAt) <= asOf && (index + 1 === list.length || Date.parse(list[index + 1].changedAt) > asOf),
          );
          return at && at.toStageCategory === 'OPEN' ? [{ stage: at.toStage as string, last: list[list.length - 1] }] : [];
        });
  const amountOf = (last: any): [string, Decimal] => [last.opportunity.amount.currency, new Decimal(last.opportunity.amount.amount)];
  const weightedOf = (last: any): [string, Decimal] => [
    last.opportunity.amount.currency,
    new Decimal(last.opportunity.amount.amount).times(last.opportunity.probability),
  ];
  const closed = opportunities.map((list) => list[list.length - 1]).filter((last) => last.toStageCategory !== 'OPEN' && inPeriod(Date.parse(last.changedAt)));
  const won = closed.filter((last) => last.toStageCategory === 'WON');
  const lost = closed.filter((last) => last.toStageCategory === 'LOST');
  const cycles = won.map((last) => (Date.parse(last.changedAt) - Date.parse(last.opportunity.createdAt)) / DAY);
  const stages = ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION'];

  const bottlenecks = stages.map((stage) => {
    const dwell = opportunities.flatMap((list) =>
      list.flatMap((data, index) =>
        data.toStage === stage && list[index + 1] ? [(Date.parse(list[index + 1].changedAt) - Date.parse(data.changedAt)) / DAY] : [],
      ),
    );
    const usual = quantile(dwell, 0.75);
    const here = open.filter((last) => last.toStage === stage);
    return {
      stage,
      openCount: here.length,
      medianDaysInStage: quantile(dwell, 0.5),
      usualDaysInStage: usual,
      p90DaysInStage: quantile(dwell, 0.9),
      stalledCount: usual === null ? 0 : here.filter((last) => ((asOf ?? NOW.getTime()) - Date.parse(last.changedAt)) / DAY > usual).length,
    };
  });

  const leads = new Map<string, { source: string; converted: boolean; createdAt: number; ownerId: string }>();
  for (const { event } of history.events.filter(({ event }) => event.type.startsWith('sales.lead.'))) {
    const data = event.data as any;
    const previous = leads.get(data.leadId);
    leads.set(data.leadId, {
      source: data.lead.source,
      converted: (previous?.converted ?? false) || data.lead.status === 'CONVERTED',
      createdAt: Date.parse(data.lead.createdAt),
      ownerId: data.lead.ownerId,
    });
  }
  const leadRows = [...leads.values()].filter((lead) => inPeriod(lead.createdAt) && (!filter.ownerIds || filter.ownerIds.includes(lead.ownerId)));
  const leadConversion = [...new Set(leadRows.map((lead) => lead.source))].sort().map((source) => {
    const rows = leadRows.filter((lead) => lead.source === source);
    const converted = rows.filter((lead) => lead.converted).length;
    return { source, leads: rows.length, converted, rate: converted / rows.length };
  });

  return {
    pipelineSize: {
      openCount: openAt.length,
      openAmount: money(openAt.map(({ last }) => amountOf(last))),
      weightedAmount: money(openAt.map(({ last }) => weightedOf(last))),
      byStage: stages
        .map((stage) => {
          const here = openAt.filter((entry) => entry.stage === stage);
          return {
            stage,
            count: here.length,
            amount: money(here.map(({ last }) => amountOf(last))),
            weightedAmount: money(here.map(({ last }) => weightedOf(last))),
          };
        })
        .filter((bucket) => bucket.count > 0),
    },
    wonCount: won.length,
    lostCount: lost.length,
    winRate: won.length + lost.length === 0 ? null : won.length / (won.length + lost.length),
    averageDealValue: (() => {
      const byCurrency = new Map<string, Decimal[]>();
      for (const last of won)
        byCurrency.set(last.opportunity.amount.currency, [
          ...(byCurrency.get(last.opportunity.amount.currency) ?? []),
          new Decimal(last.opportunity.amount.amount),
        ]);
      return [...byCurrency.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, values]) => ({
          amount: values
            .reduce((sum, value) => sum.plus(value), new Decimal(0))
            .dividedBy(values.length)
            .toFixed(2, Decimal.ROUND_HALF_UP),
          currency,
        }));
    })(),
    salesCycle: {
      count: cycles.length,
      meanDays: cycles.length ? cycles.reduce((a, b) => a + b, 0) / cycles.length : null,
      medianDays: quantile(cycles, 0.5),
      p90Days: quantile(cycles, 0.9),
    },
    stageConversions: expectedConversions(opportunities, inPeriod),
    bottlenecks,
    leadConversion,
  };
}

export const METRICS_FIELDS = `
  pipelineSize { openCount openAmount { amount currency } weightedAmount { amount currency } byStage { stage count amount { amount currency } weightedAmount { amount currency } } }
  wonCount lostCount winRate averageDealValue { amount currency }
  salesCycle { count meanDays medianDays p90Days }
  stageConversions { fromStage toStage entered advanced rate }
  bottlenecks { stage openCount medianDaysInStage usualDaysInStage p90DaysInStage stalledCount }
  leadConversion { source leads converted rate }`;

// Floats from SQL and from plain code agree to many digits, not to the last bit.
export function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]));
  return value;
}

export async function caughtUp(call: GraphQLCall, history: History): Promise<void> {
  await waitFor(
    async () => expectNoErrors(await call<any>(`{ stageChangeEvents(first: 1) { totalCount } }`)).stageChangeEvents.totalCount === history.stageEventCount,
    {
      timeoutMs: 60_000,
      what: 'analytics to ingest every stage event',
    },
  );
  const leads = history.events.filter(({ event }) => event.type === 'sales.lead.created.v1').length;
  await waitFor(
    async () =>
      expectNoErrors(await call<any>(`{ pipelineMetrics { leadConversion { leads } } }`)).pipelineMetrics.leadConversion.reduce(
        (sum: number, row: any) => sum + row.leads,
        0,
      ) === leads,
    {
      timeoutMs: 60_000,
      what: 'analytics to ingest every lead',
    },
  );
}

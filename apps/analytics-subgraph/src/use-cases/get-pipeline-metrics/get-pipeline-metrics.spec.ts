import Decimal from 'decimal.js';
import { adminActor, expectNoErrors, managerActor, repActor, testTopicPrefix, waitFor, type GraphQLCall, type TestService } from '@pipeline/testing';
import { NOW, publishAll, startAnalytics, syntheticHistory, type History } from '../../test-support';

const METRICS = `query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) {
  pipelineSize { openCount openAmount { amount currency } weightedAmount { amount currency } byStage { stage count amount { amount currency } } }
  wonCount lostCount winRate averageDealValue { amount currency }
  salesCycle { count meanDays medianDays p90Days }
  stageConversions { fromStage toStage entered advanced rate }
  bottlenecks { stage openCount medianDaysInStage p90DaysInStage stalledCount }
  leadConversion { source leads converted rate }
} }`;

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

function expected(history: History, filter: { from?: string; to?: string; ownerIds?: string[] }) {
  const from = filter.from ? new Date(filter.from).getTime() : -Infinity;
  const to = filter.to ? new Date(filter.to).getTime() : Infinity;
  const inPeriod = (time: number) => time >= from && time < to;
  const stageEvents = history.events.filter(({ event }) => event.type === 'sales.opportunity.stage_changed.v1').map(({ event }) => event.data as any);
  const byOpportunity = new Map<string, any[]>();
  for (const data of stageEvents) byOpportunity.set(data.opportunityId, [...(byOpportunity.get(data.opportunityId) ?? []), data]);
  const opportunities = [...byOpportunity.values()]
    .map((list) => list.sort((a, b) => a.version - b.version))
    .filter((list) => !filter.ownerIds || filter.ownerIds.includes(list[0].opportunity.ownerId));

  const money = (entries: Array<[string, Decimal]>) => {
    const totals = new Map<string, Decimal>();
    for (const [currency, value] of entries) totals.set(currency, (totals.get(currency) ?? new Decimal(0)).plus(value));
    return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => ({ amount: total.toFixed(2, Decimal.ROUND_HALF_UP), currency }));
  };
  const open = opportunities.filter((list) => list[list.length - 1].toStageCategory === 'OPEN').map((list) => list[list.length - 1]);
  const closed = opportunities.map((list) => list[list.length - 1]).filter((last) => last.toStageCategory !== 'OPEN' && inPeriod(Date.parse(last.changedAt)));
  const won = closed.filter((last) => last.toStageCategory === 'WON');
  const lost = closed.filter((last) => last.toStageCategory === 'LOST');
  const cycles = won.map((last) => (Date.parse(last.changedAt) - Date.parse(last.opportunity.createdAt)) / DAY);
  const stages = ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION'];

  const conversions = [['QUALIFICATION', 'PROPOSAL'], ['PROPOSAL', 'NEGOTIATION'], ['NEGOTIATION', 'CLOSED_WON']].map(([fromStage, toStage]) => {
    let entered = 0;
    let advanced = 0;
    for (const list of opportunities) {
      const index = list.findIndex((data) => data.toStage === fromStage && inPeriod(Date.parse(data.changedAt)));
      if (index < 0) continue;
      entered += 1;
      if (list.slice(index + 1).some((data) => POSITION[data.toStage] >= POSITION[toStage] && data.toStageCategory !== 'LOST')) advanced += 1;
    }
    return { fromStage, toStage, entered, advanced, rate: entered === 0 ? null : advanced / entered };
  });

  const bottlenecks = stages.map((stage) => {
    const dwell = opportunities.flatMap((list) => list.flatMap((data, index) => (data.toStage === stage && list[index + 1] ? [(Date.parse(list[index + 1].changedAt) - Date.parse(data.changedAt)) / DAY] : [])));
    const usual = quantile(dwell, 0.75);
    const here = open.filter((last) => last.toStage === stage);
    return {
      stage,
      openCount: here.length,
      medianDaysInStage: quantile(dwell, 0.5),
      p90DaysInStage: quantile(dwell, 0.9),
      stalledCount: usual === null ? 0 : here.filter((last) => (NOW.getTime() - Date.parse(last.changedAt)) / DAY > usual).length,
    };
  });

  const leads = new Map<string, { source: string; converted: boolean; createdAt: number; ownerId: string }>();
  for (const { event } of history.events.filter(({ event }) => event.type.startsWith('sales.lead.'))) {
    const data = event.data as any;
    const previous = leads.get(data.leadId);
    leads.set(data.leadId, { source: data.lead.source, converted: (previous?.converted ?? false) || data.lead.status === 'CONVERTED', createdAt: Date.parse(data.lead.createdAt), ownerId: data.lead.ownerId });
  }
  const leadRows = [...leads.values()].filter((lead) => inPeriod(lead.createdAt) && (!filter.ownerIds || filter.ownerIds.includes(lead.ownerId)));
  const leadConversion = [...new Set(leadRows.map((lead) => lead.source))].sort().map((source) => {
    const rows = leadRows.filter((lead) => lead.source === source);
    const converted = rows.filter((lead) => lead.converted).length;
    return { source, leads: rows.length, converted, rate: converted / rows.length };
  });

  return {
    pipelineSize: {
      openCount: open.length,
      openAmount: money(open.map((last) => [last.opportunity.amount.currency, new Decimal(last.opportunity.amount.amount)])),
      weightedAmount: money(open.map((last) => [last.opportunity.amount.currency, new Decimal(last.opportunity.amount.amount).times(last.opportunity.probability)])),
      byStage: stages
        .map((stage) => {
          const here = open.filter((last) => last.toStage === stage);
          return { stage, count: here.length, amount: money(here.map((last) => [last.opportunity.amount.currency, new Decimal(last.opportunity.amount.amount)])) };
        })
        .filter((bucket) => bucket.count > 0),
    },
    wonCount: won.length,
    lostCount: lost.length,
    winRate: won.length + lost.length === 0 ? null : won.length / (won.length + lost.length),
    averageDealValue: (() => {
      const byCurrency = new Map<string, Decimal[]>();
      for (const last of won) byCurrency.set(last.opportunity.amount.currency, [...(byCurrency.get(last.opportunity.amount.currency) ?? []), new Decimal(last.opportunity.amount.amount)]);
      return [...byCurrency.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, values]) => ({ amount: values.reduce((sum, value) => sum.plus(value), new Decimal(0)).dividedBy(values.length).toFixed(2, Decimal.ROUND_HALF_UP), currency }));
    })(),
    salesCycle: { count: cycles.length, meanDays: cycles.length ? cycles.reduce((a, b) => a + b, 0) / cycles.length : null, medianDays: quantile(cycles, 0.5), p90Days: quantile(cycles, 0.9) },
    stageConversions: conversions.filter((row) => row.entered > 0),
    bottlenecks,
    leadConversion,
  };
}

// Floats from SQL and from plain code agree to many digits, not to the last bit.
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]));
  return value;
}

async function caughtUp(call: GraphQLCall, history: History): Promise<void> {
  await waitFor(async () => expectNoErrors(await call<any>(`{ stageChangeEvents(first: 1) { totalCount } }`)).stageChangeEvents.totalCount === history.stageEventCount, {
    timeoutMs: 60_000,
    what: 'analytics to ingest every stage event',
  });
  await waitFor(async () => {
    const [{ count }] = await Promise.resolve(call<any>(`{ pipelineMetrics { leadConversion { leads } } }`)).then((response) => [{ count: expectNoErrors(response).pipelineMetrics.leadConversion.reduce((sum: number, row: any) => sum + row.leads, 0) }]);
    return count === history.events.filter(({ event }) => event.type === 'sales.lead.created.v1').length;
  }, { timeoutMs: 60_000, what: 'analytics to ingest every lead' });
}

describe('pipelineMetrics from the event stream', () => {
  const history = syntheticHistory(20_261_126, 120);
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startAnalytics('metrics');
    await publishAll(subject.topicPrefix, history.events);
    await caughtUp(subject.as(admin), history);
  });
  afterAll(async () => subject?.stop());

  it.each([
    ['all time', {}],
    ['the second half of 2026', { from: '2026-07-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }],
    ['one quarter', { from: '2026-04-01T00:00:00Z', to: '2026-07-01T00:00:00Z' }],
  ])('equals the KPIs computed independently from the same events (%s)', async (_label, filter) => {
    const actual = expectNoErrors(await subject.as(admin)<any>(METRICS, { filter })).pipelineMetrics;
    expect(rounded(actual)).toEqual(rounded(expected(history, filter)));
  });

  it('filters by owner, and a rep sees only their own numbers unless they ask as a manager', async () => {
    const rep = history.reps[0];
    const asAdminForRep = expectNoErrors(await subject.as(admin)<any>(METRICS, { filter: { ownerIds: [rep.id] } })).pipelineMetrics;
    const asRep = expectNoErrors(await subject.as(repActor(rep.id, rep.teamId))<any>(METRICS, {})).pipelineMetrics;
    const asManager = expectNoErrors(await subject.as(managerActor('north'))<any>(METRICS, {})).pipelineMetrics;
    const north = history.reps.filter((candidate) => candidate.teamId === 'north').map((candidate) => candidate.id);
    expect(rounded(asAdminForRep)).toEqual(rounded(expected(history, { ownerIds: [rep.id] })));
    expect(rounded(asRep)).toEqual(rounded(asAdminForRep));
    expect(asManager.pipelineSize.openCount).toBe(expected(history, { ownerIds: north }).pipelineSize.openCount);
    expect(asManager.wonCount).toBe(expected(history, { ownerIds: north }).wonCount);
  });

  it('ends in the same state from shuffled, duplicated delivery, and from a replay into fresh tables', async () => {
    // Arrange: the same history, every event twice, in a shuffled order (per-key order lost too)
    const prefix = testTopicPrefix('metrics_shuffled');
    const shuffled = [...history.events, ...history.events]
      .map((entry, index) => ({ entry, order: (index * 7_919) % 1_009 }))
      .sort((a, b) => a.order - b.order)
      .map(({ entry }) => ({ ...entry, key: `${entry.key}-${Math.floor(Math.random() * 5)}` }));
    const scrambled = await startAnalytics('metrics_shuffled', { topicPrefix: prefix });
    const replay = await startAnalytics('metrics_replay', { topicPrefix: subject.topicPrefix, consumerGroup: 'analytics-rebuild' });

    try {
      // Act
      await publishAll(prefix, shuffled);
      await caughtUp(scrambled.as(admin), history);
      await caughtUp(replay.as(admin), history);

      // Assert
      const reference = expectNoErrors(await subject.as(admin)<any>(METRICS, {})).pipelineMetrics;
      expect(expectNoErrors(await scrambled.as(admin)<any>(METRICS, {})).pipelineMetrics).toEqual(reference);
      expect(expectNoErrors(await replay.as(admin)<any>(METRICS, {})).pipelineMetrics).toEqual(reference);
      const [{ count }] = await scrambled.service.dataSource.query('SELECT count(*)::int AS count FROM stage_event');
      expect(count).toBe(history.stageEventCount);
    } finally {
      await scrambled.stop();
      await replay.stop();
    }
  });
});

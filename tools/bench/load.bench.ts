import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import { expectNoErrors } from '@pipeline/testing';
import autocannon from 'autocannon';
import { Client } from 'pg';

import { type BenchResult, result } from './bench-kit';
import type { BenchStack } from './bench-stack';

const BOARD =
  '{ pipelineBoard(cardsPerStage: 10) { columns { stage { key } count amount { amount currency } cards { id name amount { amount currency } owner { id } } } } }';
const KPIS = '{ pipelineMetrics { pipelineSize { openCount openAmount { amount currency } } wonCount winRate salesCycle { medianDays } } }';

interface Sent {
  kind?: 'board' | 'kpi' | 'lead' | 'move';
  id?: string;
  forward?: boolean;
}

const peakMemoryMb = (pid: number | undefined): number | null => {
  if (!pid) return null;
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : null;
};

async function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, outcome) => (error ? reject(error) : resolve(outcome)));
  });
}

// A realistic mix through the gateway for a few minutes: kanban boards and KPIs read, leads created, stages moved.
// Afterwards every successful stage move must be in analytics (nothing lost), and no response may be a 5xx.
export async function benchLoad(stack: BenchStack, seconds = 180, connections = 16): Promise<BenchResult> {
  const opportunities: string[] = [];
  for (let index = 0; index < 60; index += 1) {
    opportunities.push(
      expectNoErrors(
        await stack.admin<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
          input: {
            name: `Load ${index}`,
            accountName: `Load account ${index}`,
            amount: { amount: String(1_000 * (index + 1)), currency: 'EUR' },
            expectedCloseDate: '2027-06-30',
          },
        }),
      ).createOpportunity.opportunity.id,
    );
  }
  await stack.waitForQuiet();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` };
  const baseline = await run({ url: stack.gatewayUrl, method: 'POST', headers, body: JSON.stringify({ query: '{ __typename }' }), connections, duration: 10 });

  const tag = randomUUID().slice(0, 8);
  let leadCounter = 0;
  let cursor = 0;
  const counts = { board: 0, kpi: 0, lead: 0, move: 0, movesApplied: 0, graphqlErrors: 0 };
  const toggles = new Map<string, boolean>();
  const load = await run({
    url: stack.gatewayUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request, raw) => {
          // Per connection (one request in flight each): what was sent, read back in onResponse.
          const context = raw as Sent;
          const pick = cursor++ % 10;
          if (pick < 4) {
            context.kind = 'board';
            return { ...request, body: JSON.stringify({ query: BOARD }) };
          }
          if (pick < 6) {
            context.kind = 'kpi';
            return { ...request, body: JSON.stringify({ query: KPIS }) };
          }
          if (pick < 8) {
            context.kind = 'lead';
            leadCounter += 1;
            return {
              ...request,
              body: JSON.stringify({
                query: 'mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }',
                variables: {
                  input: {
                    name: `Load lead ${leadCounter}`,
                    company: `Load ${tag} ${leadCounter}`,
                    email: `load${leadCounter}.${tag}@example.com`,
                    source: 'INBOUND',
                  },
                },
              }),
            };
          }
          const id = opportunities[cursor % opportunities.length];
          const forward = !toggles.get(id);
          context.kind = 'move';
          context.id = id;
          context.forward = forward;
          return {
            ...request,
            body: JSON.stringify({
              query: 'mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version } } }',
              variables: { input: { opportunityId: id, toStage: forward ? 'PROPOSAL' : 'QUALIFICATION', reason: forward ? null : 'Load test: back' } },
            }),
          };
        },
        onResponse: (status, body, raw) => {
          const context = raw as Sent;
          if (context.kind) counts[context.kind] += 1;
          const parsed = JSON.parse(body || '{}');
          if (parsed.errors) counts.graphqlErrors += 1;
          if (context.kind === 'move' && status === 200 && !parsed.errors) {
            counts.movesApplied += 1;
            toggles.set(context.id as string, context.forward as boolean);
          }
        },
      },
    ],
  });

  const memory = Object.fromEntries(Object.entries(stack.stack.services).map(([name, service]) => [name, peakMemoryMb(service.child?.pid)]));
  await stack.waitForQuiet();
  // The opportunity service's history is the truth of what committed (autocannon drops responses still in flight at the end).
  const count = async (service: string, sql: string) => {
    const client = new Client({ connectionString: stack.databaseUrl(service) });
    await client.connect();
    try {
      return (await client.query(sql, [opportunities])).rows[0].count as number;
    } finally {
      await client.end();
    }
  };
  const expectedEvents = await count('opportunity', 'SELECT count(*)::int AS count FROM stage_transition WHERE opportunity_id = ANY($1::uuid[])');
  const events = await count('analytics', 'SELECT count(*)::int AS count FROM stage_event WHERE opportunity_id = ANY($1::uuid[])');
  const serverErrors = load['5xx'] ?? 0;
  return result('load-mix', 'requests/s', load.requests.average, 'trivial query through the gateway', baseline.requests.average, {
    seconds,
    connections,
    requests: load.requests.total,
    latencyMs: { p50: load.latency.p50, p99: load.latency.p99, max: load.latency.max },
    status: { '2xx': load['2xx'], '4xx': load['4xx'], '5xx': serverErrors, timeouts: load.timeouts, errors: load.errors },
    mix: counts,
    stageChangesCommitted: expectedEvents,
    movesAcknowledgedToClients: counts.movesApplied,
    stageEventsInAnalytics: events,
    lostEvents: expectedEvents - events,
    peakMemoryMb: memory,
  });
}

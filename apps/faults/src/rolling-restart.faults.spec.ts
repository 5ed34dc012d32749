import { randomUUID } from 'node:crypto';

import { adminActor, waitFor } from '@pipeline/testing';

import { callAs, exitOf, serviceProcess, signalByPort, sql } from './faults-env';
import { startLoad } from './load';

const ports = (): Record<string, number> => JSON.parse(process.env.E2E_SERVICE_PORTS as string);
const readiness = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
  return response ? { status: response.status, body: (await response.json()) as any } : null;
};

describe('a subgraph restarted (SIGTERM, then start) while writes go through the gateway', () => {
  it('drains readiness first, keeps serving while draining, and loses no request it accepted', async () => {
    // Arrange
    const admin = await callAs(adminActor());
    const createLead = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id name } } }`;
    const load = startLoad(admin, () => [
      createLead,
      { input: { name: `Rolling ${randomUUID()}`, company: 'Rolling Restart Ltd', source: 'OTHER', allowDuplicate: true } },
    ]);
    const succeeded = () => load.outcomes.filter((outcome) => outcome.response?.data && !outcome.response.errors).length;
    await waitFor(() => succeeded() >= 10, { timeoutMs: 30_000, what: 'writes before the restart' });

    // Act
    const pids = await signalByPort('lead', 'SIGTERM');
    const drained = await waitFor(
      async () => {
        const answer = await readiness(ports().lead);
        return answer?.status === 503 ? answer : null;
      },
      { timeoutMs: 5_000, intervalMs: 20, what: 'the lead subgraph to report not ready' },
    );
    const gatewayDuringDrain = await readiness(ports().gateway);
    const succeededAtDrain = succeeded();
    await exitOf(pids, 'lead');
    const servedWhileDraining = succeeded() - succeededAtDrain;
    await serviceProcess('lead').start();
    const succeededAtRestart = succeeded();
    await waitFor(() => succeeded() >= succeededAtRestart + 10, { timeoutMs: 30_000, what: 'writes after the restart' });
    const outcomes = await load.stop();

    // Assert
    expect(drained.body.checks.serving).toBe(false);
    expect(gatewayDuringDrain?.status).toBe(503);
    expect(gatewayDuringDrain?.body.subgraphs.lead.ready).toBe(false);
    expect(servedWhileDraining).toBeGreaterThan(0);
    const name = (outcome: (typeof outcomes)[number]) => (outcome.variables?.input as { name: string }).name;
    const stored = new Set((await sql<{ name: string }>('lead', 'SELECT name FROM lead WHERE name = ANY($1)', [outcomes.map(name)])).map((row) => row.name));
    const answeredOk = outcomes.filter((outcome) => outcome.response?.data?.createLead);
    const refused = outcomes.filter((outcome) => !outcome.response?.data?.createLead);
    // Every write the service answered is stored, and every write it stored was answered: nothing it accepted was lost.
    expect(answeredOk.filter((outcome) => !stored.has(name(outcome)))).toEqual([]);
    expect(refused.filter((outcome) => stored.has(name(outcome)))).toEqual([]);
    // A refusal is honest: SUBGRAPH_UNAVAILABLE only when the write was never carried out, OUTCOME_UNKNOWN when it was
    // sent and the connection closed before an answer (it may or may not have been saved); nothing else.
    const codes = refused.map((outcome) =>
      outcome.failure ? outcome.failure : (outcome.response?.errors ?? []).map((error) => error.extensions?.code as string).join(','),
    );
    expect(codes.filter((code) => code !== 'SUBGRAPH_UNAVAILABLE' && code !== 'OUTCOME_UNKNOWN')).toEqual([]);
  });
});

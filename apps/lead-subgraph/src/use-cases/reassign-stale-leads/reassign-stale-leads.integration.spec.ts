import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { QueryCounter } from '@pipeline/persistence';
import { adminActor, expectNoErrors, managerActor, type TestService } from '@pipeline/testing';

import { createLead, createRep, startLeadService } from '../../test-support';

const REASSIGN = `mutation { reassignStaleLeads { reassigned leads { id owner { id } assignmentReason } } }`;

describe('re-assigning leads not worked within the SLA', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('reassign_stale', { sqlLogger: sql });
  });
  afterAll(async () => subject?.stop());

  const makeIdle = (ids: string[], hours: number) =>
    subject.service.dataSource.query(
      `UPDATE lead SET assigned_at = now() - make_interval(hours => $2), created_at = now() - make_interval(hours => $2) WHERE id = ANY($1::uuid[])`,
      [ids, hours],
    );
  const reassign = async (actor: Actor) => expectNoErrors(await subject.as(actor)<any>(REASSIGN)).reassignStaleLeads;

  it('re-assigns leads not worked within the SLA to another rep by the same rules, with the reason', async () => {
    // Arrange: two reps cover a region; a lead sits untouched with the first past the SLA
    const region = `S${randomUUID().slice(0, 6)}`;
    const idle = await createRep(subject.as(admin), { regions: [region] });
    const lead = await createLead(subject.as(admin), { region, ownerId: idle });
    const other = await createRep(subject.as(admin), { regions: [region] });
    await makeIdle([lead.id], 30);
    const worked = await createLead(subject.as(admin), { region, ownerId: idle });

    // Act
    const result = await reassign(admin);

    // Assert
    const moved = result.leads.find((candidate: any) => candidate.id === lead.id);
    expect(moved.owner.id).toBe(other);
    expect(moved.assignmentReason).toMatch(/^SLA: no activity for 3\dh \(limit 24h\)/);
    expect(result.leads.some((candidate: any) => candidate.id === worked.id)).toBe(false);
  });

  it("keeps a manager's run inside the team, even behind more than a batch of older stale leads of other teams", async () => {
    // Arrange: the other team's rep has the most free capacity, and 501 of its leads have waited longer than the team's
    const region = `T${randomUUID().slice(0, 6)}`;
    const [team, otherTeam] = [`team-${randomUUID().slice(0, 6)}`, `team-${randomUUID().slice(0, 6)}`];
    const idle = await createRep(subject.as(admin), { teamId: team, regions: [region], capacity: 5 });
    const teammate = await createRep(subject.as(admin), { teamId: team, regions: [region], capacity: 5 });
    const outsider = await createRep(subject.as(admin), { teamId: otherTeam, regions: [region], capacity: 1_000 });
    const lead = await createLead(subject.as(admin), { region, ownerId: idle });
    await makeIdle([lead.id], 30);
    await subject.service.dataSource.query(
      `INSERT INTO lead (id, name, company, source, status, computed_score, owner_id, assigned_at, created_at)
       SELECT gen_random_uuid(), 'Old ' || n, 'Old Co ' || n, 'OTHER', 'NEW', 10, $1, now() - interval '100 hours', now() - interval '100 hours'
         FROM generate_series(1, 501) AS n`,
      [outsider],
    );

    // Act
    const result = await reassign(managerActor(team));

    // Assert
    expect(result.leads).toEqual([expect.objectContaining({ id: lead.id, owner: { id: teammate } })]);
    const [{ count }] = await subject.service.dataSource.query(`SELECT count(*)::int AS count FROM lead WHERE owner_id = $1`, [outsider]);
    expect(count).toBe(501);
  });

  it('writes a whole batch with one lead UPDATE, one rep UPDATE and one outbox INSERT', async () => {
    // Arrange: the longest-idle leads in the database, so this run takes them whatever else is stale
    const region = `U${randomUUID().slice(0, 6)}`;
    const idle = await createRep(subject.as(admin), { regions: [region], capacity: 100 });
    const leads: Array<{ id: string }> = [];
    for (let index = 0; index < 6; index += 1) leads.push(await createLead(subject.as(admin), { region, ownerId: idle }));
    const other = await createRep(subject.as(admin), { regions: [region], capacity: 100 });
    await makeIdle(
      leads.map((lead) => lead.id),
      200,
    );
    sql.reset();

    // Act
    const result = await reassign(admin);

    // Assert
    const mine = result.leads.filter((candidate: any) => leads.some((lead) => lead.id === candidate.id));
    expect(mine.map((candidate: any) => candidate.owner.id)).toEqual(Array(6).fill(other));
    expect(sql.matching(/^\s*UPDATE\s+"?lead"?\s/i)).toHaveLength(1);
    expect(sql.matching(/^\s*UPDATE\s+"?sales_rep"?\s/i)).toHaveLength(1);
    expect(sql.matching(/^\s*INSERT\s+INTO\s+"?outbox"?/i)).toHaveLength(1);
    const [{ count }] = await subject.service.dataSource.query(
      `SELECT count(*)::int AS count FROM outbox WHERE type = 'sales.lead.assigned.v1' AND aggregateid = ANY($1::text[]) AND payload->'data'->>'previousOwnerId' = $2`,
      [leads.map((lead) => lead.id), idle],
    );
    expect(count).toBe(6);
  });
});

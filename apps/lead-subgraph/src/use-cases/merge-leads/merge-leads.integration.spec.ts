import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createLead, createRep, startLeadService } from '../../test-support';

const MERGE = `mutation($input: MergeLeadsInput!) { mergeLeads(input: $input) {
  movedActivityCount
  lead { id phone industry version activities { subject } }
  duplicate { id archivedAt version mergedAt mergedInto { id } activities { subject } } } }`;
const LOG = `mutation($input: LogLeadActivityInput!) { logLeadActivity(input: $input) { activity { id } } }`;

describe('mergeLeads', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('merge_leads');
  });
  afterAll(async () => subject?.stop());

  it("moves the duplicate's activities to the lead, fills its empty fields, and leaves the duplicate archived pointing to it, with events", async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();
    const tag = randomUUID().slice(0, 8);
    const winner = await createLead(subject.as(admin), { name: `Grace ${tag}`, company: `Hopper ${tag}` });
    const duplicate = await createLead(subject.as(admin), { name: `G. ${tag}`, company: `Hopper ${tag}`, phone: '+1 555 0100', industry: 'Software' });
    expectNoErrors(await subject.as(admin)(LOG, { input: { leadId: winner.id, type: 'CALL', subject: 'First call' } }));
    expectNoErrors(await subject.as(admin)(LOG, { input: { leadId: duplicate.id, type: 'EMAIL', subject: 'Sent brochure' } }));
    expectNoErrors(await subject.as(admin)(LOG, { input: { leadId: duplicate.id, type: 'MEETING', subject: 'Demo' } }));

    // Act
    const result = expectNoErrors(await subject.as(admin)<any>(MERGE, { input: { leadId: winner.id, duplicateLeadId: duplicate.id } })).mergeLeads;

    // Assert: the winner has every activity and the duplicate's phone and industry
    expect(result.movedActivityCount).toBe(2);
    expect(result.lead).toMatchObject({ id: winner.id, phone: '+1 555 0100', industry: 'Software' });
    expect(result.lead.activities.map((activity: any) => activity.subject).sort()).toEqual(['Demo', 'First call', 'Sent brochure']);
    expect(result.duplicate).toMatchObject({ id: duplicate.id, mergedInto: { id: winner.id }, activities: [] });
    expect(result.duplicate.archivedAt).not.toBeNull();
    const listed = expectNoErrors(
      await subject.as(admin)<any>(`query($search: String) { leads(filter: { search: $search }) { edges { node { id } } } }`, { search: tag }),
    ).leads.edges;
    expect(listed.map((edge: any) => edge.node.id)).toEqual([winner.id]);
    const events = await waitFor(
      () => {
        const merged = reader.parsed<any>().find(({ event }) => event.type === 'sales.lead.merged.v1' && event.subject === duplicate.id);
        const updated = reader
          .parsed<any>()
          .find(({ event }) => event.type === 'sales.lead.updated.v1' && event.subject === winner.id && event.data.version === result.lead.version);
        return merged && updated ? { merged, updated } : null;
      },
      { what: 'lead.merged and lead.updated' },
    );
    await reader.stop();
    expect(events.merged.event.data).toMatchObject({ mergedIntoLeadId: winner.id, movedActivityCount: 2, mergedBy: admin.userId, lead: { archived: true } });
    expect(events.updated.event.data.changes).toEqual(['phone', 'industry', 'activities']);

    // A merged duplicate takes part in no other merge
    const again = await subject.as(admin)(MERGE, { input: { leadId: winner.id, duplicateLeadId: duplicate.id } });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
  });

  it('refuses, writing nothing, a merge into itself, a stale version, and a duplicate the caller may not see', async () => {
    // Arrange
    const owner = await createRep(subject.as(admin));
    const stranger = await createRep(subject.as(admin), { teamId: 'south' });
    const mine = await createLead(subject.as(admin), { ownerId: owner });
    const theirs = await createLead(subject.as(admin), { ownerId: stranger });
    const other = await createLead(subject.as(admin), { ownerId: owner });

    // Act
    const self = await subject.as(admin)(MERGE, { input: { leadId: mine.id, duplicateLeadId: mine.id } });
    const stale = await subject.as(admin)(MERGE, { input: { leadId: mine.id, duplicateLeadId: other.id, expectedDuplicateVersion: other.version + 1 } });
    const hidden = await subject.as(repActor(owner, 'north'))(MERGE, { input: { leadId: mine.id, duplicateLeadId: theirs.id } });

    // Assert
    expect([errorCodes(self), errorCodes(stale), errorCodes(hidden)]).toEqual([['BAD_USER_INPUT'], ['CONFLICT'], ['NOT_FOUND']]);
    const rows = await subject.service.dataSource.query('SELECT version, merged_into_lead_id FROM lead WHERE id = ANY($1::uuid[])', [
      [mine.id, theirs.id, other.id],
    ]);
    expect(rows.every((row: any) => row.version === 1 && row.merged_into_lead_id === null)).toBe(true);
  });
});

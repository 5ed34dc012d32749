import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createLead, createRep, startLeadService } from '../../test-support';

const ARCHIVE = `mutation($input: ArchiveLeadInput!) { archiveLead(input: $input) { lead { id archivedAt archivedReason version } } }`;
const RESTORE = `mutation($input: RestoreLeadInput!) { restoreLead(input: $input) { lead { id archivedAt version } } }`;
const LIST = `query($filter: LeadFilter) { leads(filter: $filter, first: 500) { totalCount edges { node { id } } } }`;

describe('archiving and restoring leads', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('archive_lead');
  });
  afterAll(async () => subject?.stop());

  const listed = async (search: string, archived?: boolean) =>
    expectNoErrors(await subject.as(admin)<any>(LIST, { filter: { search, ...(archived === undefined ? {} : { archived }) } })).leads.edges.map(
      (edge: any) => edge.node.id,
    );

  it('takes an archived lead out of lists, duplicate checks and capacity counts, and restores it as it was, with events', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();
    const tag = randomUUID().slice(0, 8);
    const rep = await createRep(subject.as(admin));
    const email = `${tag}@example.com`;
    const lead = await createLead(subject.as(admin), { name: `Archived ${tag}`, email, ownerId: rep });
    const openCount = async () =>
      expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { salesRep(id: $id) { openLeadCount } }`, { id: rep })).salesRep.openLeadCount;
    expect(await openCount()).toBe(1);

    // Act: archive
    const archived = expectNoErrors(await subject.as(admin)<any>(ARCHIVE, { input: { leadId: lead.id, expectedVersion: lead.version, reason: 'Spam' } }))
      .archiveLead.lead;

    // Assert: out of lists and counts, still readable, its email free for a new lead, refused for other changes
    expect(archived).toMatchObject({ archivedReason: 'Spam', version: lead.version + 1 });
    expect(archived.archivedAt).not.toBeNull();
    expect(await listed(tag)).toEqual([]);
    expect(await listed(tag, true)).toEqual([lead.id]);
    expect(await openCount()).toBe(0);
    expect(expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { id archivedAt } }`, { id: lead.id })).lead.id).toBe(lead.id);
    const change = await subject.as(admin)(`mutation($input: LogLeadActivityInput!) { logLeadActivity(input: $input) { activity { id } } }`, {
      input: { leadId: lead.id, type: 'CALL', subject: 'Hello' },
    });
    expect(errorCodes(change)).toEqual(['CONFLICT']);
    expect(errorCodes(await subject.as(admin)(ARCHIVE, { input: { leadId: lead.id } }))).toEqual(['CONFLICT']);

    // Act: restore
    const restored = expectNoErrors(await subject.as(admin)<any>(RESTORE, { input: { leadId: lead.id, expectedVersion: archived.version } })).restoreLead.lead;

    // Assert: back in lists and counts, with both facts published
    expect(restored).toMatchObject({ archivedAt: null, version: lead.version + 2 });
    expect(await listed(tag)).toEqual([lead.id]);
    expect(await openCount()).toBe(1);
    const events = await waitFor(
      () => {
        const mine = reader
          .parsed<any>()
          .filter(({ event }) => event.subject === lead.id && (event.type === 'sales.lead.archived.v1' || event.type === 'sales.lead.restored.v1'));
        return mine.length === 2 ? mine : null;
      },
      { what: 'lead.archived and lead.restored' },
    );
    await reader.stop();
    expect(events.map(({ event }) => [event.type, event.data.lead.archived])).toEqual([
      ['sales.lead.archived.v1', true],
      ['sales.lead.restored.v1', false],
    ]);
    expect(events[0].event.data).toMatchObject({ reason: 'Spam', archivedBy: admin.userId });
  });

  it("frees an archived lead's identity for the duplicate rule", async () => {
    // Arrange
    const email = `${randomUUID()}@example.com`;
    const first = await createLead(subject.as(admin), { email });
    expectNoErrors(await subject.as(admin)(ARCHIVE, { input: { leadId: first.id } }));

    // Act
    const second = await subject.as(admin)<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
      input: { name: 'Again', company: 'Again Co', email, source: 'INBOUND' },
    });

    // Assert
    expect(expectNoErrors(second).createLead.lead.id).not.toBe(first.id);
  });

  it('refuses a stale version with CONFLICT and an analyst with FORBIDDEN, writing nothing', async () => {
    // Arrange
    const lead = await createLead(subject.as(admin));

    // Act
    const stale = await subject.as(admin)(ARCHIVE, { input: { leadId: lead.id, expectedVersion: lead.version + 1 } });
    const byAnalyst = await subject.as(analystActor())(ARCHIVE, { input: { leadId: lead.id } });

    // Assert
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(errorCodes(byAnalyst)).toEqual(['FORBIDDEN']);
    const [row] = await subject.service.dataSource.query('SELECT archived_at, version FROM lead WHERE id = $1', [lead.id]);
    expect(row).toEqual({ archived_at: null, version: lead.version });
  });
});

import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createLead, createRep, startLeadService } from '../../test-support';

const UPDATE = `mutation($input: UpdateLeadInput!) { updateLead(input: $input) { lead { id name company email phone industry source score version } } }`;

describe('updateLead', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('update_lead');
  });
  afterAll(async () => subject?.stop());

  const row = async (id: string) => (await subject.service.dataSource.query('SELECT name, email, phone, industry, version FROM lead WHERE id = $1', [id]))[0];

  it('corrects the fields given, clears the ones listed, rescores, and publishes lead.updated with what changed', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();
    const lead = await createLead(subject.as(admin), { email: `${randomUUID()}@example.com`, phone: '+49 30 1234567', source: 'OTHER' });

    // Act
    const updated = expectNoErrors(
      await subject.as(admin)<any>(UPDATE, {
        input: { leadId: lead.id, expectedVersion: lead.version, name: 'Ada Lovelace', industry: 'Software', source: 'REFERRAL', clear: ['PHONE'] },
      }),
    ).updateLead.lead;

    // Assert
    expect(updated).toMatchObject({ name: 'Ada Lovelace', industry: 'Software', source: 'REFERRAL', phone: null, version: lead.version + 1 });
    expect(updated.score).not.toBe(lead.score);
    expect(await row(lead.id)).toMatchObject({ name: 'Ada Lovelace', phone: null, industry: 'Software', version: lead.version + 1 });
    const event = await waitFor(() => reader.parsed<any>().find(({ event }) => event.subject === lead.id && event.type === 'sales.lead.updated.v1'), {
      what: 'lead.updated',
    });
    await reader.stop();
    expect(event.event.data).toMatchObject({
      leadId: lead.id,
      version: lead.version + 1,
      changes: ['name', 'phone', 'industry', 'source'],
      // The person's name travels only encrypted with the lead's key (see eraseLead).
      lead: { name: '', source: 'REFERRAL', personal: expect.objectContaining({ alg: 'AES-256-GCM', keyId: lead.id }) },
    });
  });

  it('refuses a stale expectedVersion with CONFLICT and writes nothing', async () => {
    // Arrange
    const lead = await createLead(subject.as(admin));
    expectNoErrors(await subject.as(admin)(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, industry: 'Retail' } }));

    // Act
    const stale = await subject.as(admin)(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, industry: 'Finance' } });

    // Assert
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(await row(lead.id)).toMatchObject({ industry: 'Retail', version: lead.version + 1 });
  });

  it('validates like createLead: a bad field is BAD_USER_INPUT naming it, and nothing is written', async () => {
    // Arrange
    const lead = await createLead(subject.as(admin));

    // Act
    const responses = await Promise.all([
      subject.as(admin)(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, email: 'not-an-email' } }),
      subject.as(admin)(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, name: '   ' } }),
      subject.as(admin)(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, phone: 'call me' } }),
      subject.as(admin)(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, phone: '+1 555 0100', clear: ['PHONE'] } }),
    ]);

    // Assert
    expect(responses.map((response) => [errorCodes(response)[0], response.errors?.[0].extensions?.field])).toEqual([
      ['BAD_USER_INPUT', 'email'],
      ['BAD_USER_INPUT', 'name'],
      ['BAD_USER_INPUT', 'phone'],
      ['BAD_USER_INPUT', 'phone'],
    ]);
    expect((await row(lead.id)).version).toBe(lead.version);
  });

  it('applies the duplicate rule of createLead to a corrected email, company or name, unless allowDuplicate', async () => {
    // Arrange
    const email = `${randomUUID()}@example.com`;
    const existing = await createLead(subject.as(admin), { email });
    const other = await createLead(subject.as(admin));

    // Act
    const refused = await subject.as(admin)(UPDATE, { input: { leadId: other.id, expectedVersion: other.version, email: email.toUpperCase() } });
    // A lead's own identity is not a duplicate of itself.
    const own = await subject.as(admin)<any>(UPDATE, {
      input: { leadId: existing.id, expectedVersion: existing.version, email, company: `Renamed ${randomUUID()}` },
    });
    const allowed = await subject.as(admin)<any>(UPDATE, { input: { leadId: other.id, expectedVersion: other.version, email, allowDuplicate: true } });

    // Assert
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].extensions).toMatchObject({ field: 'email', existingLeadId: existing.id });
    expect(expectNoErrors(allowed).updateLead.lead.email).toBe(email);
    expect(expectNoErrors(own).updateLead.lead.version).toBe(existing.version + 1);
  });

  it('keeps the visibility rules: another rep gets NOT_FOUND, an analyst FORBIDDEN', async () => {
    // Arrange
    const owner = await createRep(subject.as(admin));
    const stranger = await createRep(subject.as(admin), { teamId: 'south' });
    const lead = await createLead(subject.as(admin), { ownerId: owner });

    // Act
    const byStranger = await subject.as(repActor(stranger, 'south'))(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, industry: 'Retail' } });
    const byAnalyst = await subject.as(analystActor())(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, industry: 'Retail' } });
    const byOwner = await subject.as(repActor(owner, 'north'))<any>(UPDATE, { input: { leadId: lead.id, expectedVersion: lead.version, industry: 'Retail' } });

    // Assert
    expect(errorCodes(byStranger)).toEqual(['NOT_FOUND']);
    expect(errorCodes(byAnalyst)).toEqual(['FORBIDDEN']);
    expect(expectNoErrors(byOwner).updateLead.lead.industry).toBe('Retail');
  });
});

import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import { expectNoErrors, findTextInDatabase, managerActor, publishEvents, repActor, type TestService, waitFor } from '@pipeline/testing';

import { arrangeRep, leadAssignedData, publish, startEngagementService } from '../../test-support';
import { ERASED_NOTIFICATION_TITLE } from './scrub-lead-person-on-lead-erased';

const REGISTER = `mutation($input: RegisterTeamWebhookInput!) { registerTeamWebhook(input: $input) { webhook { id } } }`;
const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`;

describe('a lead person erased, in the engagement service', () => {
  let subject: TestService;

  beforeAll(async () => {
    subject = await startEngagementService('erase_lead_person');
  });
  afterAll(async () => subject?.stop());

  const query = (sql: string, params: unknown[]) => subject.service.dataSource.query(sql, params);

  it('scrubs the tasks on the lead, the notifications about it and their webhook payloads, destroys its key, once however often the fact comes', async () => {
    // Arrange: an older-style fact naming the person in plain text, a team webhook, a task naming them
    const rep = await arrangeRep(subject, 'north');
    expectNoErrors(await subject.as(managerActor('north'))(REGISTER, { input: { url: 'http://127.0.0.1:9/hook' } }));
    const leadId = randomUUID();
    const tag = randomUUID().slice(0, 8);
    const name = `Ada Lovelace ${tag}`;
    const assigned = leadAssignedData(leadId, rep);
    await publish(subject, [
      { topic: TOPICS.leadEvents, type: 'sales.lead.assigned.v1', subject: leadId, data: { ...assigned, lead: { ...assigned.lead, name } } },
    ]);
    await waitFor(
      async () => (await query('SELECT 1 FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.lead_id = $1', [leadId])).length > 0,
      {
        what: 'the notification and its webhook delivery',
      },
    );
    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    expectNoErrors(await subject.as(repActor(rep, 'north'))(CREATE, { input: { leadId, title: `Call ${name}`, notes: `ask ${name} about it`, dueAt } }));
    expect((await findTextInDatabase(subject.databaseUrl, [tag])).map((hit) => hit.table).sort()).toEqual([
      'public.lead_snapshot',
      'public.notification',
      'public.task',
      'public.webhook_delivery',
    ]);
    expect(await query('SELECT key IS NOT NULL AS present FROM personal_data_key WHERE subject_id = $1', [leadId])).toEqual([{ present: true }]);

    // Act: the erasure fact, delivered twice
    const erased = createCloudEvent({
      type: 'sales.lead.erased.v1',
      source: '/test',
      subject: leadId,
      data: { leadId, opportunityId: null, erasedAt: new Date().toISOString(), erasedBy: randomUUID() },
    });
    await publishEvents(subject.topicPrefix, [
      { topic: TOPICS.leadEvents, event: erased },
      { topic: TOPICS.leadEvents, event: erased },
    ]);

    // Assert
    await waitFor(async () => (await query(`SELECT 1 FROM task WHERE lead_id = $1 AND title = '(erased)'`, [leadId])).length === 1, {
      what: 'the erasure applied',
    });
    expect(await findTextInDatabase(subject.databaseUrl, [tag])).toEqual([]);
    expect(await query('SELECT title, body FROM notification WHERE lead_id = $1', [leadId])).toEqual([{ title: ERASED_NOTIFICATION_TITLE, body: '' }]);
    const [delivery] = await query('SELECT d.payload FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.lead_id = $1', [leadId]);
    expect(delivery.payload.data).toMatchObject({ title: ERASED_NOTIFICATION_TITLE, body: '', leadId });
    expect(await query('SELECT key, destroyed_at IS NOT NULL AS destroyed FROM personal_data_key WHERE subject_id = $1', [leadId])).toEqual([
      { key: null, destroyed: true },
    ]);
    expect(await query('SELECT count(*)::int AS count FROM processed_event WHERE event_id = $1', [erased.id])).toEqual([{ count: 1 }]);
  });
});

import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import { openPersonalData } from '@pipeline/persistence';
import type { PersonalDataOpener } from '@pipeline/server-kit';
import {
  expectNoErrors,
  findTextInDatabase,
  managerActor,
  type PersonalDataOwner,
  publishEvents,
  repActor,
  startPersonalDataOwner,
  type TestService,
  TopicReader,
  waitFor,
} from '@pipeline/testing';

import { arrangeRep, leadAssignedData, publish, stageChangedData, startEngagementService } from '../../test-support';
import { ERASED_NOTIFICATION_TITLE } from './scrub-lead-person-on-lead-erased';

const REGISTER = `mutation($input: RegisterTeamWebhookInput!) { registerTeamWebhook(input: $input) { webhook { id } } }`;
const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`;

describe('a lead person erased, in the engagement service', () => {
  let subject: TestService;
  let owner: PersonalDataOwner;
  // The service asks the owner through this; a test may point it at an address where nothing answers.
  let personalData: PersonalDataOpener;

  beforeAll(async () => {
    owner = await startPersonalDataOwner('erase_lead_person', ['engagement-subgraph']);
    personalData = owner.opener('engagement-subgraph');
    subject = await startEngagementService('erase_lead_person', { personalData: { open: (envelope) => personalData.open(envelope) } });
  });
  afterEach(() => {
    personalData = owner.opener('engagement-subgraph');
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

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

  it('publishes a task on the opportunity made from the lead with the person replaced in its title, and on erasure keeps its words without the person', async () => {
    // Arrange: a sealed lead (as the lead service publishes it since people are sealed) converted into an opportunity
    const rep = await arrangeRep(subject, 'south');
    const leadId = randomUUID();
    const opportunityId = randomUUID();
    const tag = randomUUID().replace(/-/g, '').slice(0, 10);
    const person = { name: `Ada Lovelace${tag}`, email: `ada.${tag}@example.com`, phone: '+44 20 7946 0958' };
    const assigned = leadAssignedData(leadId, rep);
    const stage = stageChangedData(opportunityId, rep);
    await publish(subject, [
      {
        topic: TOPICS.leadEvents,
        type: 'sales.lead.assigned.v1',
        subject: leadId,
        data: { ...assigned, lead: { ...assigned.lead, name: '', email: null, personal: await owner.seal(leadId, { ...person, sourceDetail: null }) } },
      },
      {
        topic: TOPICS.stageChanged,
        type: 'sales.opportunity.stage_changed.v1',
        subject: opportunityId,
        data: { ...stage, opportunity: { ...stage.opportunity, leadId } },
      },
    ]);
    await waitFor(async () => (await query('SELECT 1 FROM opportunity_snapshot WHERE id = $1 AND lead_id = $2', [opportunityId, leadId])).length > 0, {
      what: 'the opportunity and the lead it came from',
    });
    await waitFor(async () => (await query('SELECT 1 FROM lead_snapshot WHERE id = $1 AND personal IS NOT NULL', [leadId])).length > 0, {
      what: 'the sealed lead',
    });
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.taskEvents}`]);
    await reader.start();
    const rep_ = subject.as(repActor(rep, 'south'));
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();

    // Act: one task naming the person, one that does not
    const named = expectNoErrors(
      await rep_<any>(CREATE, {
        input: { opportunityId, title: `Call ada LOVELACE${tag} (not Adam)`, notes: `ring ${person.phone} or mail ${person.email}`, dueAt },
      }),
    ).createTask.task.id;
    const plain = expectNoErrors(await rep_<any>(CREATE, { input: { opportunityId, title: 'Send the contract', dueAt } })).createTask.task.id;

    // Assert: published with the person replaced, the typed title sealed with the lead's key kept here
    const published = await waitFor(
      () => {
        const facts = reader.parsed<any>().filter(({ event }) => [named, plain].includes(event.subject));
        return facts.length === 2 ? facts : null;
      },
      { what: 'both task facts' },
    );
    await reader.stop();
    const factOf = (id: string) => published.find(({ event }) => event.subject === id)?.event.data;
    const [{ key }] = await query('SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    expect(factOf(named).title).toBe('Call [person] (not Adam)');
    expect(openPersonalData(key, factOf(named).personal)).toEqual({ title: `Call ada LOVELACE${tag} (not Adam)` });
    expect(factOf(plain).title).toBe('Send the contract');
    expect(published.map(({ event }) => JSON.stringify(event)).filter((text) => text.includes(tag))).toEqual([]);

    // Act: the erasure fact, delivered twice
    const erased = createCloudEvent({
      type: 'sales.lead.erased.v1',
      source: '/test',
      subject: leadId,
      data: { leadId, opportunityId, erasedAt: new Date().toISOString(), erasedBy: randomUUID() },
    });
    await publishEvents(subject.topicPrefix, [
      { topic: TOPICS.leadEvents, event: erased },
      { topic: TOPICS.leadEvents, event: erased },
    ]);

    // Assert: the task keeps its words without the person; the other task is untouched; nothing names them
    await waitFor(async () => (await query(`SELECT 1 FROM task WHERE id = $1 AND redacted IS NULL`, [named])).length === 1, { what: 'the erasure applied' });
    expect(await query('SELECT id, title, notes FROM task WHERE opportunity_id = $1 ORDER BY title', [opportunityId])).toEqual([
      { id: named, title: 'Call [person] (not Adam)', notes: 'ring [person] or mail [person]' },
      { id: plain, title: 'Send the contract', notes: null },
    ]);
    expect(await findTextInDatabase(subject.databaseUrl, [tag, person.email, person.phone])).toEqual([]);
    expect(await query('SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId])).toEqual([{ key: null }]);
  });

  it('publishes the title of a task on the opportunity blank and sealed while the lead service cannot be reached, and erasure then leaves "(erased)"', async () => {
    // Arrange: a sealed lead converted into an opportunity; the lead service unreachable
    const rep = await arrangeRep(subject, 'east');
    const leadId = randomUUID();
    const opportunityId = randomUUID();
    const tag = randomUUID().replace(/-/g, '').slice(0, 10);
    const assigned = leadAssignedData(leadId, rep);
    const stage = stageChangedData(opportunityId, rep);
    await publish(subject, [
      {
        topic: TOPICS.leadEvents,
        type: 'sales.lead.assigned.v1',
        subject: leadId,
        data: {
          ...assigned,
          lead: {
            ...assigned.lead,
            name: '',
            email: null,
            personal: await owner.seal(leadId, { name: `Grace Hopper${tag}`, email: null, phone: null, sourceDetail: null }),
          },
        },
      },
      {
        topic: TOPICS.stageChanged,
        type: 'sales.opportunity.stage_changed.v1',
        subject: opportunityId,
        data: { ...stage, opportunity: { ...stage.opportunity, leadId } },
      },
    ]);
    await waitFor(async () => (await query('SELECT 1 FROM opportunity_snapshot WHERE id = $1 AND lead_id = $2', [opportunityId, leadId])).length > 0, {
      what: 'the opportunity and the lead it came from',
    });
    await waitFor(async () => (await query('SELECT 1 FROM lead_snapshot WHERE id = $1 AND personal IS NOT NULL', [leadId])).length > 0, {
      what: 'the sealed lead',
    });
    personalData = owner.opener('engagement-subgraph', true);

    // Act
    const task = expectNoErrors(
      await subject.as(repActor(rep, 'east'))<any>(CREATE, {
        input: { opportunityId, title: `Call Grace Hopper${tag}`, dueAt: new Date(Date.now() + 86_400_000).toISOString() },
      }),
    ).createTask.task.id;

    // Assert: nothing waited or failed; the stored fact carries no title, the typed one only sealed
    const [fact] = await query(`SELECT payload FROM outbox WHERE type = 'sales.task.created.v1' AND aggregateid = $1`, [task]);
    const [{ key }] = await query('SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    expect(fact.payload.data.title).toBe('');
    expect(openPersonalData(key, fact.payload.data.personal)).toEqual({ title: `Call Grace Hopper${tag}` });

    // Act: the erasure
    await publishEvents(subject.topicPrefix, [
      {
        topic: TOPICS.leadEvents,
        event: createCloudEvent({
          type: 'sales.lead.erased.v1',
          source: '/test',
          subject: leadId,
          data: { leadId, opportunityId, erasedAt: new Date().toISOString(), erasedBy: randomUUID() },
        }),
      },
    ]);

    // Assert
    await waitFor(async () => (await query(`SELECT 1 FROM task WHERE id = $1 AND redacted IS NULL`, [task])).length === 1, { what: 'the erasure applied' });
    expect(await query('SELECT title FROM task WHERE id = $1', [task])).toEqual([{ title: '(erased)' }]);
    expect(await findTextInDatabase(subject.databaseUrl, [tag])).toEqual([]);
  });
});

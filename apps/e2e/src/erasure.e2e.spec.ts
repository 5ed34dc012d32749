import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

import { dropDatabase, openPersonalData, withDatabase } from '@pipeline/persistence';
import {
  adminActor,
  expectNoErrors,
  findTextInDatabase,
  type GraphQLCall,
  readWholeTopics,
  testKafkaBrokers,
  type TextHit,
  type TopicReader,
  waitFor,
} from '@pipeline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

import { callAs, serviceUrls, topicPrefix } from './e2e-env';
import { createLead, createRep, move, qualifyLead, sendProposal } from './scenario';

const SERVICES = ['lead', 'opportunity', 'deal', 'analytics', 'engagement'] as const;
const databaseOf = (service: string) => withDatabase(process.env.TEST_DATABASE_URL as string, `${process.env.E2E_DATABASE_PREFIX}_${service}`);

async function sql<T = any>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function hitsInEveryDatabase(needles: string[]): Promise<Record<string, TextHit[]>> {
  return Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await findTextInDatabase(databaseOf(service), needles)])));
}

// Every topic of this stack (the contract topics and their dead-letter topics), read from offset 0 to its end.
async function everyMessageOnEveryTopic(): Promise<{ topics: string[]; reader: TopicReader; total: number }> {
  const admin = new Kafka({ clientId: 'erasure-e2e', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = await admin
    .listTopics()
    .then((names) => names.filter((topic) => topic.startsWith(topicPrefix())).sort())
    .finally(() => admin.disconnect());
  return { topics, ...(await readWholeTopics(topics)) };
}

const plainTextHits = (reader: TopicReader, needles: string[]) =>
  reader.messages.flatMap((message) =>
    needles
      .filter((needle) => [message.key, message.value, ...Object.values(message.headers)].some((text) => text?.toLowerCase().includes(needle.toLowerCase())))
      .map((needle) => `${message.topic}[${message.partition}]@${message.offset}: ${needle}`),
  );

describe('erasing a lead person (GDPR), end to end through the gateway with real PostgreSQL and Kafka', () => {
  let admin: GraphQLCall;

  beforeAll(async () => {
    admin = await callAs(adminActor());
  });

  it('after conversion, proposal and close, leaves the name and email in no database, on no topic from offset 0 and in no replayed read model', async () => {
    // Arrange: a lead whose person is named in every service: the lead itself, a task on it, the opportunity made from it
    // (its name, an activity, a task on it), a commitment on its deal
    const tag = randomUUID().replace(/-/g, '').slice(0, 12);
    const name = `Zelda Erasure ${tag}`;
    const email = `zelda.${tag}@erasure.example`;
    const needles = [name, email, tag];
    const ownerId = await createRep(admin);
    const leadId = await createLead(admin, ownerId, { name, email, phone: '+49 30 5550199', sourceDetail: `Referred by a friend of ${name}` });
    expectNoErrors(
      await admin(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
        input: { title: `Call ${name}`, notes: `Mail ${email} first`, dueAt: new Date(Date.now() + 86_400_000).toISOString(), leadId, assigneeId: ownerId },
      }),
    );
    await qualifyLead(admin, leadId);
    // Free text typed about the person on the opportunity: published with the person replaced, the typed text sealed
    const opportunity = expectNoErrors(
      await admin<any>(`mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id name } } }`, {
        input: { leadId, opportunityName: `${name} renewal`, expectedCloseDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10) },
      }),
    ).convertLead.opportunity;
    expect(opportunity.name).toBe(`${name} renewal`);
    expectNoErrors(
      await admin(`mutation($input: LogActivityInput!) { logActivity(input: $input) { activity { id } } }`, {
        input: { opportunityId: opportunity.id, type: 'CALL', subject: `Call with ${name}`, notes: `Agreed with ${email} to send the offer` },
      }),
    );
    // The engagement service learns of the opportunity by event; until then the task is refused (NOT_FOUND).
    await waitFor(
      async () =>
        expectNoErrors(
          await admin(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`, {
            input: {
              title: `Send ${name} the offer`,
              notes: `Copy ${email}`,
              dueAt: new Date(Date.now() + 86_400_000).toISOString(),
              opportunityId: opportunity.id,
              assigneeId: ownerId,
            },
          }),
        ),
      { what: 'the engagement service to know the opportunity and plan a task on it' },
    );
    expectNoErrors(await move(admin, opportunity.id, 'PROPOSAL'));
    await sendProposal(admin, opportunity.id);
    await waitFor(async () => !(await move(admin, opportunity.id, 'NEGOTIATION')).errors, { what: 'the NEGOTIATION gate to open' });
    expectNoErrors(
      await admin(`mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { deal { id } } }`, {
        input: { opportunityId: opportunity.id, type: 'VERBAL', contactName: name, notes: `Confirmed by ${email}` },
      }),
    );
    expectNoErrors(
      await admin(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, {
        input: { opportunityId: opportunity.id, outcome: 'WON' },
      }),
    );
    await waitFor(
      async () =>
        expectNoErrors(await admin<any>(`query($id: ID!) { opportunity(id: $id) { status contacts { contact { id } } } }`, { id: opportunity.id })).opportunity
          .status === 'WON',
      { what: 'the opportunity to close WON' },
    );
    // The contact made at conversion names the person, opened through the lead service (the events carry it only sealed)
    // and so does the proposal letter's greeting (rendered when read)
    const named = expectNoErrors(
      await admin<any>(`query($id: ID!) { opportunity(id: $id) { contacts { contact { name email } } deal { proposals { documentHtml } } } }`, {
        id: opportunity.id,
      }),
    );
    expect(named.opportunity.contacts).toEqual([{ contact: { name, email } }]);
    expect(named.opportunity.deal.proposals[0].documentHtml).toContain(`Dear ${name},`);
    // The name was stored where the people who typed it expect it, and published only sealed with a key per person
    const before = await hitsInEveryDatabase(needles);
    expect(Object.keys(before).filter((service) => before[service].length > 0)).toEqual(['lead', 'opportunity', 'deal', 'engagement']);
    const sealed = await everyMessageOnEveryTopic();
    expect(plainTextHits(sealed.reader, needles)).toEqual([]);
    const [leadKey] = await sql<{ key: Buffer }>(databaseOf('lead'), 'SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    const created = sealed.reader.parsed<any>().find(({ event }) => event.type === 'sales.lead.created.v1' && event.subject === leadId);
    expect(openPersonalData(leadKey.key, created?.event.data.lead.personal)).toMatchObject({ name, email });

    // Act
    const erased = expectNoErrors(
      await admin<any>(`mutation($input: EraseLeadInput!) { eraseLead(input: $input) { erasedAt lead { name email } } }`, {
        input: { leadId },
      }),
    ).eraseLead;

    // Assert: every service applied it (each says so through the graph) …
    expect(erased.lead).toEqual({ name: 'Erased person', email: null });
    const applied = await waitFor(
      async () => {
        const data = expectNoErrors(
          await admin<any>(
            `query($id: ID!, $leadId: ID!) {
               opportunity(id: $id) {
                 name activities { subject notes } tasks { title }
                 contacts { contact { name email } } deal { commitments { contactName notes } proposals { documentHtml } }
               }
               lead(id: $leadId) { tasks { title } }
             }`,
            { id: opportunity.id, leadId },
          ),
        );
        const done =
          data.opportunity.contacts.every(({ contact }: any) => contact.name === 'Erased person') &&
          data.opportunity.deal.commitments.every((commitment: any) => commitment.contactName === 'Erased person') &&
          data.lead.tasks.every((task: any) => task.title === '(erased)') &&
          data.opportunity.tasks.every((task: any) => !task.title.includes(tag));
        return done ? data : null;
      },
      { timeoutMs: 30_000, what: 'the opportunity, deal and engagement services to apply the erasure' },
    );
    expect(applied.opportunity.contacts).toEqual([{ contact: { name: 'Erased person', email: null } }]);
    expect(applied.opportunity.deal.commitments).toEqual([{ contactName: 'Erased person', notes: null }]);
    expect(applied.lead.tasks).toEqual([{ title: '(erased)' }]);
    // … the free text about the person keeps its words, the person replaced (read again: one read's fields come from
    // several services and statements, which may straddle an erasure's commit) …
    const rewritten = expectNoErrors(
      await admin<any>(`query($id: ID!) { opportunity(id: $id) { name activities { subject notes } tasks { title } } }`, { id: opportunity.id }),
    ).opportunity;
    expect(rewritten).toEqual({
      name: '[person] renewal',
      activities: [{ subject: 'Call with [person]', notes: 'Agreed with [person] to send the offer' }],
      tasks: [{ title: 'Send [person] the offer' }],
    });
    expect(applied.opportunity.deal.proposals[0].documentHtml).toContain('<p>Hello,</p>');
    expect(applied.opportunity.deal.proposals[0].documentHtml).not.toContain(tag);
    // … no database holds the name, the email or the tag in any column of any row …
    expect(await hitsInEveryDatabase(needles)).toEqual({ lead: [], opportunity: [], deal: [], analytics: [], engagement: [] });
    // … every key that sealed them is destroyed, so the envelopes still on the topics can never be opened again …
    for (const service of ['lead', 'opportunity', 'deal', 'engagement']) {
      expect(await sql(databaseOf(service), 'SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId])).toEqual([{ key: null }]);
    }
    // … and every topic from offset 0 shows neither in plain text, the erasure fact included
    const replayed = await everyMessageOnEveryTopic();
    expect(replayed.total).toBeGreaterThan(sealed.total);
    expect(plainTextHits(replayed.reader, needles)).toEqual([]);
    expect(replayed.reader.parsed<any>().filter(({ event }) => event.type === 'sales.lead.erased.v1' && event.subject === leadId)).toHaveLength(1);
    // The contact made at conversion was published sealed with the opportunity service's key for the lead, and its erasure announced
    const contactFacts = replayed.reader.parsed<any>().filter(({ event }) => event.type.startsWith('sales.contact.') && event.data.leadId === leadId);
    expect(contactFacts.map(({ event }) => [event.type, event.data.personal?.keyId ?? null])).toEqual([
      ['sales.contact.created.v1', leadId],
      ['sales.contact.erased.v1', null],
    ]);

    // Act: rebuild the analytics read models from every topic, from offset 0, into a fresh database (the rebuild tool)
    const rebuild = await promisify(execFile)(
      'npx',
      ['tsx', 'tools/analytics/rebuild.ts', '--live', serviceUrls().analytics, '--port', String(4900 + Math.floor(Math.random() * 90)), '--keep'],
      {
        cwd: path.resolve(__dirname, '..', '..', '..'),
        env: {
          ...process.env,
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          DATABASE_PREFIX: process.env.E2E_DATABASE_PREFIX,
          KAFKA_TOPIC_PREFIX: topicPrefix(),
          NX_DAEMON: 'false',
        },
        timeout: 180_000,
      },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout}\nexit ${error.code}`, stderr: error.stderr ?? '' }));
    const kept = /kept (postgres\S+)/.exec(rebuild.stdout)?.[1];

    // Assert: the replayed read models equal the live ones and hold nothing of the person either
    try {
      expect(rebuild.stdout).toContain('KPIs equal the live read models');
      expect(kept).toBeDefined();
      expect(await findTextInDatabase(kept as string, needles)).toEqual([]);
    } finally {
      if (kept) await dropDatabase(kept);
    }
  });
});

import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import type { PersonalDataEnvelope } from '@pipeline/events';
import {
  createPersonalDataOpener,
  IDENTITY_HEADER,
  LOCAL_INTERNAL_SECRET,
  OPEN_PERSONAL_DATA_PATH,
  SERVICE_IDENTITY_HEADER,
  signIdentityToken,
  signServiceToken,
} from '@pipeline/server-kit';
import { adminActor, analystActor, expectNoErrors, managerActor, mintUserToken, repActor, type TestService } from '@pipeline/testing';

import { createLead, startLeadService } from '../../test-support';

describe('opening a lead person envelope through the lead service (internal route)', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('open_personal_data');
  });
  afterAll(async () => subject?.stop());

  const routeUrl = () => new URL(OPEN_PERSONAL_DATA_PATH, subject.service.url).toString();
  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(routeUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const opener = (serviceName = 'opportunity-subgraph') =>
    createPersonalDataOpener({ ownerService: 'lead-subgraph', ownerUrl: subject.service.url, serviceName, internalSecret: LOCAL_INTERNAL_SECRET });

  async function leadWithEnvelope(): Promise<{ leadId: string; name: string; email: string; envelope: PersonalDataEnvelope }> {
    const tag = randomUUID().slice(0, 8);
    const name = `Olga Owner ${tag}`;
    const email = `olga.${tag}@example.com`;
    const lead = await createLead(subject.as(admin), { name, email, company: `Owner AG ${tag}` });
    const [row]: { envelope: PersonalDataEnvelope }[] = await subject.service.dataSource.query(
      `SELECT payload #> '{data,lead,personal}' AS envelope FROM outbox WHERE aggregateid = $1 AND type = 'sales.lead.created.v1'`,
      [lead.id],
    );
    return { leadId: lead.id, name, email, envelope: row.envelope };
  }

  it('opens the envelope for a service identity: the fields come back, the key does not', async () => {
    // Arrange
    const { name, email, envelope } = await leadWithEnvelope();

    // Act
    const opened = await opener().open(envelope);
    const raw = await post({ [SERVICE_IDENTITY_HEADER]: await signServiceToken('engagement-subgraph', LOCAL_INTERNAL_SECRET) }, { envelope });

    // Assert
    expect(opened).toEqual({ erased: false, fields: { name, email, phone: null, sourceDetail: null } });
    expect(raw.status).toBe(200);
    expect(Object.keys((await raw.json()) as object)).toEqual(['fields']);
  });

  it('refuses without a service identity: none, a user token, a gateway identity token, a forged one (401); a service not allowed (403)', async () => {
    // Arrange
    const { envelope } = await leadWithEnvelope();
    const gatewayIdentity = await signIdentityToken(admin, LOCAL_INTERNAL_SECRET);

    // Act
    const answers = await Promise.all([
      post({}, { envelope }),
      post({ authorization: `Bearer ${await mintUserToken(admin)}` }, { envelope }),
      post({ [IDENTITY_HEADER]: gatewayIdentity }, { envelope }),
      post({ [SERVICE_IDENTITY_HEADER]: gatewayIdentity }, { envelope }),
      post({ [SERVICE_IDENTITY_HEADER]: await signServiceToken('opportunity-subgraph', 'another-secret-0123456789abcdef0123456789') }, { envelope }),
      post({ [SERVICE_IDENTITY_HEADER]: await signServiceToken('analytics-subgraph', LOCAL_INTERNAL_SECRET) }, { envelope }),
    ]);

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 403]);
    expect(await Promise.all(answers.map(async (answer) => ((await answer.json()) as { fields?: unknown }).fields))).toEqual(Array(6).fill(undefined));
    await expect(opener('analytics-subgraph').open(envelope)).rejects.toThrow(/refused .* 403/);
  });

  it('takes no end user of any role, or mix of roles, for a service: their gateway identity gets 401 in the service header', async () => {
    // Arrange
    const { envelope } = await leadWithEnvelope();
    const people: Actor[] = [
      admin,
      repActor(randomUUID(), 'north'),
      managerActor('north'),
      analystActor(),
      { userId: randomUUID(), roles: ['ADMIN', 'MANAGER', 'REP', 'ANALYST'], teamId: 'north' },
    ];

    // Act
    const answers = await Promise.all(
      people.map(async (person) => post({ [SERVICE_IDENTITY_HEADER]: await signIdentityToken(person, LOCAL_INTERNAL_SECRET) }, { envelope })),
    );

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(Array(people.length).fill(401));
  });

  it('answers 410 Gone "erased" once the lead was erased, for this and every older envelope', async () => {
    // Arrange
    const { leadId, envelope } = await leadWithEnvelope();
    expectNoErrors(await subject.as(admin)(`mutation($input: EraseLeadInput!) { eraseLead(input: $input) { erasedAt } }`, { input: { leadId } }));

    // Act
    const raw = await post({ [SERVICE_IDENTITY_HEADER]: await signServiceToken('opportunity-subgraph', LOCAL_INTERNAL_SECRET) }, { envelope });
    const opened = await opener().open(envelope);

    // Assert
    expect(raw.status).toBe(410);
    expect(await raw.json()).toMatchObject({ code: 'ERASED', message: 'The person was erased' });
    expect(opened).toEqual({ erased: true });
  });

  it('refuses a malformed body (400), an altered envelope (422) and a subject it holds no key for (404)', async () => {
    // Arrange
    const { envelope } = await leadWithEnvelope();
    const headers = { [SERVICE_IDENTITY_HEADER]: await signServiceToken('opportunity-subgraph', LOCAL_INTERNAL_SECRET) };
    const altered = { ...envelope, ciphertext: Buffer.from('{"name":"Mallory"}').toString('base64') };

    // Act
    const answers = await Promise.all([
      post(headers, { envelope: { keyId: envelope.keyId } }),
      post(headers, { envelope: altered }),
      post(headers, { envelope: { ...envelope, keyId: randomUUID() } }),
    ]);

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([400, 422, 404]);
  });

  it('answers a body that is not JSON, too big or of the wrong types with a stable JSON code, reads it only from a known service, and writes nothing', async () => {
    // Arrange
    const { envelope } = await leadWithEnvelope();
    const headers = { 'content-type': 'application/json', [SERVICE_IDENTITY_HEADER]: await signServiceToken('opportunity-subgraph', LOCAL_INTERNAL_SECRET) };
    const huge = JSON.stringify({ envelope: { ...envelope, ciphertext: 'A'.repeat(100_000) } });
    const stranger = randomUUID();
    const keysBefore = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM personal_data_key');

    // Act
    const answers = await Promise.all([
      fetch(routeUrl(), { method: 'POST', headers, body: '{"envelope": ' }),
      fetch(routeUrl(), { method: 'POST', headers, body: huge }),
      fetch(routeUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge }),
      post(headers, { envelope: { alg: 1, keyId: stranger, iv: [], tag: null, ciphertext: {} } }),
      post(headers, [envelope]),
      post(headers, { envelope: { ...envelope, keyId: `${envelope.keyId}\u0000` } }),
      fetch(routeUrl(), { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: JSON.stringify({ envelope }) }),
    ]);

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([400, 413, 401, 400, 400, 400, 400]);
    expect(await Promise.all(answers.map(async (answer) => ((await answer.json()) as { code: string }).code))).toEqual([
      'BAD_USER_INPUT',
      'PAYLOAD_TOO_LARGE',
      'UNAUTHENTICATED',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    expect(await subject.service.dataSource.query('SELECT count(*)::int AS count FROM personal_data_key')).toEqual(keysBefore);
  });
});

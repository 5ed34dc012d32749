import { randomUUID } from 'node:crypto';

import { adminActor, errorCodes, expectNoErrors, repActor, type TestService } from '@pipeline/testing';

import { createRep, holdExternalId, startLeadService } from '../../test-support';

const IMPORT = `mutation($input: ImportLeadsInput!) { importLeads(input: $input) { rowCount created skipped rejected errors { row field message } } }`;
const HEADER = 'name,company,email,source,sourceDetail,estimatedValue,currency,region,ownerEmail,externalId';

describe('importLeads (CSV)', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('import_leads');
  });
  afterAll(async () => subject?.stop());

  const tag = () => randomUUID().slice(0, 8);
  const count = async (like: string) =>
    (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM lead WHERE company LIKE $1', [`${like}%`]))[0].count;

  it('imports valid rows and reports each rejected row with its reason (per-row mode)', async () => {
    // Arrange
    const t = tag();
    const csv = [
      HEADER,
      `Ann,${t} One,ann-${t}@example.com,referral,Board member,12000.50,EUR,DE,,ext-${t}-1`,
      `Bob,${t} Two,not-an-email,EVENT,,,,,,ext-${t}-2`,
      `Cid,${t} Three,cid-${t}@example.com,CARRIER_PIGEON,,,,,,ext-${t}-3`,
      `Dee,${t} Four,dee-${t}@example.com,INBOUND,,1.999,EUR,,,ext-${t}-4`,
      `Eve,${t} Five,eve-${t}@example.com,SOCIAL_MEDIA,LinkedIn,,,,,ext-${t}-5`,
    ].join('\n');

    // Act
    const report = expectNoErrors(await subject.as(admin)<any>(IMPORT, { input: { csv, mode: 'PER_ROW' } })).importLeads;

    // Assert
    expect(report).toMatchObject({ rowCount: 5, created: 2, skipped: 0, rejected: 3 });
    expect(report.errors).toEqual([
      { row: 2, field: 'email', message: 'email must be an email address' },
      { row: 3, field: 'source', message: expect.stringMatching(/^source must be one of/) },
      { row: 4, field: 'estimatedValue.amount', message: expect.stringMatching(/decimal places/) },
    ]);
    expect(await count(t)).toBe(2);
  });

  it('writes nothing in all-or-nothing mode when any row is bad', async () => {
    const t = tag();
    const csv = [HEADER, `Ann,${t} One,,INBOUND,,,,,,`, `Bob,,,INBOUND,,,,,,`].join('\n');
    const report = expectNoErrors(await subject.as(admin)<any>(IMPORT, { input: { csv, mode: 'ALL_OR_NOTHING' } })).importLeads;
    expect(report).toMatchObject({ created: 0, rejected: 1, errors: [{ row: 2, field: 'company' }] });
    expect(await count(t)).toBe(0);
  });

  it('is idempotent on externalId: a re-run creates nothing twice', async () => {
    // Arrange
    const t = tag();
    const csv = [HEADER, `Ann,${t} One,,INBOUND,,,,,,x-${t}-1`, `Bob,${t} Two,,INBOUND,,,,,,x-${t}-2`].join('\n');
    expectNoErrors(await subject.as(admin)(IMPORT, { input: { csv, mode: 'PER_ROW' } }));

    // Act
    const again = expectNoErrors(await subject.as(admin)<any>(IMPORT, { input: { csv, mode: 'PER_ROW' } })).importLeads;

    // Assert
    expect(again).toMatchObject({ created: 0, skipped: 2, rejected: 0 });
    expect(await count(t)).toBe(2);
  });

  it('counts a row as skipped when a concurrent creation takes its externalId after the check', async () => {
    // Arrange: another transaction holds one row's externalId, uncommitted, so the import's check passes and its insert waits
    const t = tag();
    const held = await holdExternalId(subject.service.dataSource, `ext-${t}-1`);
    try {
      const csv = [HEADER, `Ann,${t} One,,INBOUND,,,,,,ext-${t}-1`, `Bob,${t} Two,,INBOUND,,,,,,ext-${t}-2`].join('\n');
      const pending = subject.as(admin)<any>(IMPORT, { input: { csv, mode: 'PER_ROW' } });
      await held.waitForBlockedWriter();

      // Act
      await held.commit();
      const report = expectNoErrors(await pending).importLeads;

      // Assert
      expect(report).toMatchObject({ rowCount: 2, created: 1, skipped: 1, rejected: 0, errors: [] });
      expect(await count(t)).toBe(1);
      const [{ events }] = await subject.service.dataSource.query(
        `SELECT count(*)::int AS events FROM outbox WHERE type = 'sales.lead.created.v1' AND payload->'data'->'lead'->>'company' LIKE $1`,
        [`${t}%`],
      );
      expect(events).toBe(1);
    } finally {
      await held.commit();
    }
  });

  it('refuses duplicates of open leads and of earlier rows, and owners the caller may not assign to', async () => {
    // Arrange
    const t = tag();
    const repId = await createRep(subject.as(admin), { email: `owner-${t}@example.com` });
    const otherEmail = `other-${t}@example.com`;
    await createRep(subject.as(admin), { email: otherEmail });
    expectNoErrors(
      await subject.as(admin)(IMPORT, { input: { csv: [HEADER, `Ann,${t} One,ann-${t}@example.com,INBOUND,,,,,,`].join('\n'), mode: 'PER_ROW' } }),
    );
    const csv = [
      HEADER,
      `Ann Again,${t} Elsewhere,ANN-${t}@example.com,INBOUND,,,,,,`,
      `Zed,${t} Zed,zed-${t}@example.com,INBOUND,,,,,,`,
      `Zed,${t} Zed,,INBOUND,,,,,,`,
      `Mine,${t} Mine,,INBOUND,,,,,owner-${t}@example.com,`,
      `Theirs,${t} Theirs,,INBOUND,,,,,${otherEmail},`,
    ].join('\n');

    // Act: a rep imports, so only their own leads are allowed
    const report = expectNoErrors(await subject.as(repActor(repId, 'north'))<any>(IMPORT, { input: { csv, mode: 'PER_ROW' } })).importLeads;

    // Assert
    expect(report.errors.map((error: any) => [error.row, error.field])).toEqual([
      [1, 'email'],
      [3, 'company'],
      [5, 'ownerEmail'],
    ]);
    expect(report.errors[0].message).toBe('duplicate of an open lead you cannot see');
    const owners: Array<{ owner_id: string }> = await subject.service.dataSource.query(`SELECT owner_id FROM lead WHERE company IN ($1, $2)`, [
      `${t} Zed`,
      `${t} Mine`,
    ]);
    expect(owners.map((row) => row.owner_id)).toEqual([repId, repId]);
  });

  it('refuses malformed CSV and unknown columns as BAD_USER_INPUT on csv', async () => {
    const unknown = await subject.as(admin)(IMPORT, { input: { csv: 'name,company,source,shoeSize\nA,B,INBOUND,42', mode: 'PER_ROW' } });
    const ragged = await subject.as(admin)(IMPORT, { input: { csv: 'name,company,source\nA,B', mode: 'PER_ROW' } });
    expect([unknown, ragged].map(errorCodes)).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT']]);
    expect(unknown.errors?.[0].extensions?.field).toBe('csv');
  });
});

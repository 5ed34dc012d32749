import { randomUUID } from 'node:crypto';

import { QueryCounter } from '@pipeline/persistence';
import { adminActor, expectNoErrors, type TestService, waitFor } from '@pipeline/testing';

import { startOpportunityService } from '../../test-support';

const IMPORT = `mutation($input: ImportOpportunitiesInput!) { importOpportunities(input: $input) { created skipped errors { index externalId message } } }`;
const BY_EXTERNAL_ID = `SELECT id, status, stage_key, version FROM opportunity WHERE external_id = ANY($1::text[]) ORDER BY external_id`;

describe('importing historical opportunities', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('import_opportunities', sql);
  });
  afterAll(async () => subject?.stop());

  const won = (externalId: string) => ({
    externalId,
    name: 'Renewal',
    accountName: 'Initech',
    amount: { amount: '1200.00', currency: 'USD' },
    expectedCloseDate: '2025-03-01',
    createdAt: '2025-01-01T09:00:00Z',
    stages: [
      { toStage: 'QUALIFICATION', changedAt: '2025-01-01T09:00:00Z' },
      { toStage: 'PROPOSAL', changedAt: '2025-01-10T09:00:00Z' },
      { toStage: 'NEGOTIATION', changedAt: '2025-02-01T09:00:00Z' },
      { toStage: 'CLOSED_WON', changedAt: '2025-02-20T09:00:00Z' },
    ],
  });
  const lost = (externalId: string) => ({
    externalId,
    name: 'Pilot',
    accountName: 'Globex',
    createdAt: '2025-01-05T09:00:00Z',
    stages: [
      { toStage: 'QUALIFICATION', changedAt: '2025-01-05T09:00:00Z' },
      { toStage: 'CLOSED_LOST', changedAt: '2025-01-20T09:00:00Z' },
    ],
    lostReason: 'PRICE',
  });
  const rows = (externalIds: string[]) => subject.service.dataSource.query(BY_EXTERNAL_ID, [externalIds]);

  it('writes each history with its original times, its events in order, and a handful of statements for the whole batch', async () => {
    // Arrange
    const tag = randomUUID();
    const records = Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? won(`${tag}-${index}`) : lost(`${tag}-${index}`)));
    sql.reset();

    // Act
    const report = expectNoErrors(await subject.as(admin)<any>(IMPORT, { input: { opportunities: records } })).importOpportunities;

    // Assert
    expect(report).toEqual({ created: 40, skipped: 0, errors: [] });
    expect(sql.matching(/INSERT INTO "opportunity"/i)).toHaveLength(1);
    expect(sql.matching(/INSERT INTO "stage_transition"/i)).toHaveLength(1);
    const [first] = await rows([`${tag}-0`]);
    expect(first).toMatchObject({ status: 'WON', stage_key: 'CLOSED_WON', version: 4 });
    const history = await subject.service.dataSource.query(
      'SELECT from_stage, to_stage, changed_at, version FROM stage_transition WHERE opportunity_id = $1 ORDER BY version',
      [first.id],
    );
    expect(history.map((entry: any) => [entry.from_stage, entry.to_stage, entry.changed_at.toISOString(), entry.version])).toEqual([
      [null, 'QUALIFICATION', '2025-01-01T09:00:00.000Z', 1],
      ['QUALIFICATION', 'PROPOSAL', '2025-01-10T09:00:00.000Z', 2],
      ['PROPOSAL', 'NEGOTIATION', '2025-02-01T09:00:00.000Z', 3],
      ['NEGOTIATION', 'CLOSED_WON', '2025-02-20T09:00:00.000Z', 4],
    ]);
    const events = await subject.service.dataSource.query(
      `SELECT type, payload->'data'->>'toStage' AS to_stage FROM outbox WHERE aggregateid = $1 ORDER BY seq`,
      [first.id],
    );
    expect(events).toEqual([
      { type: 'sales.opportunity.created.v1', to_stage: null },
      ...['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON'].map((stage) => ({ type: 'sales.opportunity.stage_changed.v1', to_stage: stage })),
    ]);
  });

  it('refuses records that break the stage rules and writes nothing of them, while the others land; a re-run imports nothing twice', async () => {
    // Arrange: a gate (PROPOSAL needs an amount), a repeat, and a repeat of a refused record
    const tag = randomUUID();
    const noAmount = { ...won(`${tag}-gate`), amount: null };
    const records = [won(`${tag}-ok`), noAmount, won(`${tag}-ok`), { ...lost(`${tag}-late`), createdAt: '2025-02-01T09:00:00Z' }, lost(`${tag}-late`)];

    // Act
    const report = expectNoErrors(await subject.as(admin)<any>(IMPORT, { input: { opportunities: records } })).importOpportunities;
    const again = expectNoErrors(await subject.as(admin)<any>(IMPORT, { input: { opportunities: records } })).importOpportunities;

    // Assert
    expect(report).toMatchObject({ created: 2, skipped: 1 });
    expect(report.errors.map((error: any) => [error.index, error.externalId])).toEqual([
      [1, `${tag}-gate`],
      [3, `${tag}-late`],
    ]);
    expect((await rows([`${tag}-ok`, `${tag}-gate`, `${tag}-late`])).map((row: any) => row.status)).toEqual(['LOST', 'WON']);
    // The second run finds both imported ids (whatever their records hold now) and refuses the gate breaker again.
    expect(again).toMatchObject({ created: 0, skipped: 4 });
    expect(again.errors.map((error: any) => error.index)).toEqual([1]);
  });

  it('imports a record whose export names no account, without one, and still refuses a blank name', async () => {
    // Arrange: a public CRM export leaves the account blank on early-stage rows
    const tag = randomUUID();
    const open = (externalId: string, accountName: string, name = 'GTX Pro') => ({
      externalId,
      name,
      accountName,
      createdAt: '2025-01-05T09:00:00Z',
      stages: [{ toStage: 'QUALIFICATION', changedAt: '2025-01-05T09:00:00Z' }],
    });

    // Act
    const report = expectNoErrors(
      await subject.as(admin)<any>(IMPORT, {
        input: { opportunities: [open(`${tag}-blank`, ''), open(`${tag}-spaces`, '   '), open(`${tag}-noname`, '', ' ')] },
      }),
    ).importOpportunities;

    // Assert
    expect(report.created).toBe(2);
    expect(report.errors.map((error: any) => [error.index, error.message.split(':')[0]])).toEqual([[2, 'name']]);
    const stored = await subject.service.dataSource.query(
      `SELECT external_id, account_name FROM opportunity WHERE external_id = ANY($1::text[]) ORDER BY external_id`,
      [[`${tag}-blank`, `${tag}-spaces`]],
    );
    expect(stored.map((row: any) => row.account_name)).toEqual(['', '']);
  });

  it('counts a record as skipped when a concurrent import commits its externalId after the check', async () => {
    // Arrange: another transaction holds the externalId, uncommitted, so the check passes and the insert waits on it
    const tag = randomUUID();
    const runner = subject.service.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(
      `INSERT INTO opportunity (id, external_id, name, account_name, pipeline_id, stage_key, stage_entered_at, status, created_at, updated_at)
       SELECT $1, $2, 'Held', 'Held Co', id, 'QUALIFICATION', now(), 'OPEN', now(), now() FROM pipeline WHERE is_default`,
      [randomUUID(), `${tag}-held`],
    );
    try {
      const pending = subject.as(admin)<any>(IMPORT, { input: { opportunities: [won(`${tag}-held`), lost(`${tag}-free`)] } });
      await waitForBlockedInsert(subject);

      // Act
      await runner.commitTransaction();
      const report = expectNoErrors(await pending).importOpportunities;

      // Assert
      expect(report).toEqual({ created: 1, skipped: 1, errors: [] });
      expect((await rows([`${tag}-free`, `${tag}-held`])).map((row: any) => row.status)).toEqual(['LOST', 'OPEN']);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

// A duplicate key against an uncommitted row waits on that transaction's id.
async function waitForBlockedInsert(subject: TestService): Promise<void> {
  await waitFor(
    async () =>
      (await subject.service.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'transactionid'`)).length > 0,
    {
      what: 'the import to wait on the held externalId',
    },
  );
}

import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, type TestService, waitFor } from '@pipeline/testing';

import { publishAll, startAnalytics } from '../../test-support';
import { opportunityEvents, repRegistered } from '../../test-support-events';

describe('report by account', () => {
  let subject: TestService;
  afterEach(async () => subject?.stop());

  it('groups the spellings of one account as the opportunity service names accounts, and opportunities without one as null', async () => {
    // Arrange
    subject = await startAnalytics('report-by-account');
    const rep = randomUUID();
    const opportunity = (accountName: string, extra: { wonAt?: string } = {}) =>
      opportunityEvents({ ownerId: rep, accountName, amount: '100.00', currency: 'EUR', createdAt: '2026-10-01T00:00:00Z', ...extra });
    const events = [
      repRegistered(rep, 'north', 1),
      ...opportunity('Acme Corp'),
      ...opportunity('  ACME   corp ', { wonAt: '2026-11-01T00:00:00Z' }),
      ...opportunity('acme corp'),
      ...opportunity('Initech'),
      ...opportunity(''),
    ];
    await publishAll(subject.topicPrefix, events);
    await waitFor(async () => (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM opportunity_fact'))[0].count === 5, {
      what: 'opportunity facts',
    });

    // Act
    const rows = expectNoErrors(await subject.as(adminActor())<any>(`{ report(dimension: ACCOUNT) { key openCount wonCount } }`)).report;

    // Assert
    expect(rows).toHaveLength(3);
    const acme = rows.find((row: any) => row.key?.toLowerCase() === 'acme corp');
    expect(acme).toMatchObject({ openCount: 2, wonCount: 1 });
    expect(['ACME corp', 'Acme Corp', 'acme corp']).toContain(acme.key);
    expect(rows.find((row: any) => row.key === 'Initech')).toMatchObject({ openCount: 1, wonCount: 0 });
    expect(rows.find((row: any) => row.key === null)).toMatchObject({ openCount: 1, wonCount: 0 });
  });
});

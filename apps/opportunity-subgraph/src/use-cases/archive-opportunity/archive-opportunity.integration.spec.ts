import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createOpportunity, moveStage, startOpportunityService } from '../../test-support';

const ARCHIVE = `mutation($input: ArchiveOpportunityInput!) { archiveOpportunity(input: $input) { opportunity { id archivedAt archivedReason version } } }`;
const RESTORE = `mutation($input: RestoreOpportunityInput!) { restoreOpportunity(input: $input) { opportunity { id archivedAt version } } }`;

describe('archiving and restoring opportunities', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('archive_opportunity');
  });
  afterAll(async () => subject?.stop());

  const views = async (industry: string, archived?: boolean) => {
    const filter = { industry, ...(archived === undefined ? {} : { archived }) };
    const data = expectNoErrors(
      await subject.as(admin)<any>(
        `query($filter: OpportunityFilter) {
          opportunities(filter: $filter, first: 500) { totalCount edges { node { id } } }
          pipelineBoard(filter: $filter) { totalCount columns { count cards { id } } }
          opportunitySegments(by: STAGE, filter: $filter) { count }
        }`,
        { filter },
      ),
    );
    return {
      listed: data.opportunities.edges.map((edge: any) => edge.node.id),
      board: data.pipelineBoard.totalCount,
      cards: data.pipelineBoard.columns.flatMap((column: any) => column.cards.map((card: any) => card.id)),
      segments: data.opportunitySegments.reduce((sum: number, segment: any) => sum + segment.count, 0),
    };
  };

  it('takes an archived opportunity out of the list, the board and segments, refuses changes, and restores it as it was', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.opportunityEvents}`]);
    await reader.start();
    const industry = `Archive ${randomUUID()}`;
    const kept = await createOpportunity(subject.as(admin), { industry, amount: { amount: '1000', currency: 'EUR' } });
    const opportunity = await createOpportunity(subject.as(admin), { industry, amount: { amount: '5000', currency: 'EUR' } });

    // Act: archive
    const archived = expectNoErrors(
      await subject.as(admin)<any>(ARCHIVE, { input: { opportunityId: opportunity.id, expectedVersion: opportunity.version, reason: 'Duplicate' } }),
    ).archiveOpportunity.opportunity;

    // Assert
    expect(archived).toMatchObject({ archivedReason: 'Duplicate', version: opportunity.version + 1 });
    expect(await views(industry)).toEqual({ listed: [kept.id], board: 1, cards: [kept.id], segments: 1 });
    expect((await views(industry, true)).listed).toEqual([opportunity.id]);
    expect(errorCodes(await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL'))).toEqual(['CONFLICT']);
    expect(errorCodes(await subject.as(admin)(ARCHIVE, { input: { opportunityId: opportunity.id } }))).toEqual(['CONFLICT']);

    // Act: restore
    const restored = expectNoErrors(await subject.as(admin)<any>(RESTORE, { input: { opportunityId: opportunity.id, expectedVersion: archived.version } }))
      .restoreOpportunity.opportunity;

    // Assert
    expect(restored).toMatchObject({ archivedAt: null, version: opportunity.version + 2 });
    expect((await views(industry)).listed.sort()).toEqual([kept.id, opportunity.id].sort());
    const events = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ event }) => event.subject === opportunity.id && /archived|restored/.test(event.type));
        return mine.length === 2 ? mine : null;
      },
      { what: 'opportunity.archived and opportunity.restored' },
    );
    await reader.stop();
    expect(events.map(({ event }) => [event.type, event.data.opportunity.archived, event.data.version])).toEqual([
      ['sales.opportunity.archived.v1', true, opportunity.version + 1],
      ['sales.opportunity.restored.v1', false, opportunity.version + 2],
    ]);
  });

  it('refuses a stale version with CONFLICT and an analyst with FORBIDDEN, writing nothing', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin));

    // Act
    const stale = await subject.as(admin)(ARCHIVE, { input: { opportunityId: opportunity.id, expectedVersion: opportunity.version + 1 } });
    const byAnalyst = await subject.as(analystActor())(ARCHIVE, { input: { opportunityId: opportunity.id } });

    // Assert
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(errorCodes(byAnalyst)).toEqual(['FORBIDDEN']);
    const [row] = await subject.service.dataSource.query('SELECT archived_at, version FROM opportunity WHERE id = $1', [opportunity.id]);
    expect(row).toEqual({ archived_at: null, version: opportunity.version });
  });
});

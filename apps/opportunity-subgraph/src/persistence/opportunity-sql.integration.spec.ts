import { randomUUID } from 'node:crypto';

import { type Actor, canRead, formatAmount, visibilityOf } from '@pipeline/domain';
import { adminActor, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';
import type { EntityManager } from 'typeorm';

import type { Opportunity } from '../domain/opportunity';
import { createOpportunity, publishRep, startOpportunityService } from '../test-support';
import { OpportunityEntity, type OpportunityRow } from './entities';
import { boardColumns, DEFAULT_SORT, findOpportunitiesByIds, findOpportunity, listOpportunities } from './opportunity-repository';
import { defaultPipeline } from './pipeline-repository';

// The row as TypeORM hydrates it, mapped as the ORM path did: the reference the plain-SQL reads must equal field for field.
function fromOrm(row: OpportunityRow): Opportunity {
  const { owner, amount, currency, probabilityOverride, createdBy: _createdBy, ...rest } = row;
  const code = currency?.trim() ?? null;
  return {
    ...rest,
    amount: amount !== null && code !== null ? { amount: formatAmount(amount, code), currency: code } : null,
    probabilityOverride: probabilityOverride === null ? null : Number(probabilityOverride),
    ownerTeamId: owner?.teamId ?? null,
  };
}

const newestFirst = (a: Opportunity, b: Opportunity) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe('plain-SQL opportunity reads against the ORM-hydrated rows', () => {
  let subject: TestService;
  let manager: EntityManager;
  const admin = adminActor();
  const alice = randomUUID();
  const carol = randomUUID();
  let orm: Opportunity[];

  beforeAll(async () => {
    subject = await startOpportunityService('opportunity_sql');
    manager = subject.service.dataSource.manager;
    await publishRep(subject, alice, 'north');
    await publishRep(subject, carol, 'south');
    await waitFor(async () => (await manager.query('SELECT count(*)::int AS count FROM rep_snapshot'))[0].count === 2, { what: 'rep snapshots' });
    const call = subject.as(admin);
    const ids: string[] = [];
    // Owned in each team and by nobody, with and without amount and dates, a probability override, a stage move and archived rows.
    for (const [index, ownerId] of [alice, carol, null, alice, carol, null].entries()) {
      const created = await createOpportunity(call, {
        name: `Raw ${index}`,
        industry: index % 2 ? 'Software' : null,
        region: index % 3 ? 'DE' : null,
        ownerId,
        ...(index % 2 ? { amount: { amount: `${1000 + index}.5`, currency: 'EUR' }, expectedCloseDate: '2027-02-28' } : {}),
      });
      ids.push(created.id);
    }
    expectNoErrors(
      await call('mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }', {
        input: { opportunityId: ids[1], probability: 0.35 },
      }),
    );
    expectNoErrors(
      await call('mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id } } }', {
        input: { opportunityId: ids[2], toStage: 'CLOSED_LOST', reason: 'No budget' },
      }),
    );
    for (const id of [ids[3], ids[4]])
      expectNoErrors(
        await call('mutation($input: ArchiveOpportunityInput!) { archiveOpportunity(input: $input) { opportunity { id } } }', {
          input: { opportunityId: id, reason: 'Duplicate' },
        }),
      );
    orm = (await manager.getRepository(OpportunityEntity).find({ relations: { owner: true } })).map(fromOrm).sort(newestFirst);
  });
  afterAll(async () => subject?.stop());

  it('reads each opportunity, by id and in a batch, exactly as the ORM hydrated it', async () => {
    // Act
    const batch = await findOpportunitiesByIds(
      manager,
      orm.map((opportunity) => opportunity.id),
    );
    const single = await Promise.all(orm.map((opportunity) => findOpportunity(manager, opportunity.id)));

    // Assert
    expect(orm).toHaveLength(6);
    expect(orm.filter((opportunity) => opportunity.archivedAt !== null)).toHaveLength(2);
    expect(orm.some((opportunity) => opportunity.probabilityOverride === 0.35 && opportunity.expectedCloseDate === '2027-02-28')).toBe(true);
    expect([...batch].sort(newestFirst)).toEqual(orm);
    expect(single).toEqual(orm);
  });

  it.each<[string, Actor]>([
    ['an admin', admin],
    ["a manager of alice's team", managerActor('north')],
    ['carol', repActor(carol, 'south')],
  ])('lists for %s the visible rows, archived ones alone under filter.archived, newest first', async (_who, actor) => {
    const now = new Date();
    for (const archived of [false, true]) {
      // Arrange
      const expected = orm.filter((opportunity) => canRead(actor, opportunity) && (opportunity.archivedAt !== null) === archived);

      // Act
      const page = await listOpportunities(manager, { archived }, visibilityOf(actor), [], DEFAULT_SORT, 50, null, now);

      // Assert
      expect(page).toEqual({ items: expected, hasNextPage: false, totalCount: expected.length });
    }
  });

  it("puts on the board each visible, unarchived opportunity in its stage's column, newest first", async () => {
    // Arrange
    const actor = managerActor('north');
    const pipeline = await defaultPipeline(manager);
    const expected = orm.filter((opportunity) => canRead(actor, opportunity) && opportunity.archivedAt === null);

    // Act
    const board = await boardColumns(manager, pipeline.id, {}, visibilityOf(actor), [], DEFAULT_SORT, 10, new Date());

    // Assert
    expect(board.totalCount).toBe(expected.length);
    for (const stageKey of new Set(expected.map((opportunity) => opportunity.stageKey)))
      expect(board.cards.get(stageKey)).toEqual(expected.filter((opportunity) => opportunity.stageKey === stageKey));
    expect([...board.cards.values()].flat()).toHaveLength(expected.length);
  });
});

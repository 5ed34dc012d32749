import { QueryCounter } from '@pipeline/persistence';
import { adminActor, expectNoErrors, type TestService } from '@pipeline/testing';

import { createOpportunity, moveStage, startOpportunityService } from '../../test-support';

const BOARD = `query($pipelineId: ID, $cards: Int) { pipelineBoard(pipelineId: $pipelineId, cardsPerStage: $cards) {
  totalCount columns { stage { key } count amount { amount currency } weightedAmount { amount currency } hasMoreCards cards { id name } } } }`;

// Only the request's own statements: the outbox relay and consumers query the same database in the background.
const requestStatements = (sql: QueryCounter) =>
  sql.statements.filter((statement) => !/outbox|processed_event|pg_try_advisory|^(START TRANSACTION|COMMIT|ROLLBACK)/i.test(statement)).length;

describe('pipelineBoard (kanban)', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('pipeline_board', sql);
  });
  afterAll(async () => subject?.stop());

  it('gives every stage its count, amounts per currency (weighted by probability) and first cards', async () => {
    // Arrange
    const pipeline = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id } } }`, {
        input: {
          name: 'Board test',
          stages: [
            { key: 'NEW', name: 'New', probability: 0.1, category: 'OPEN' },
            { key: 'TALKING', name: 'Talking', probability: 0.5, category: 'OPEN' },
            { key: 'WON', name: 'Won', probability: 1, category: 'WON', entryCriteria: ['DEAL_WON'] },
            { key: 'LOST', name: 'Lost', probability: 0, category: 'LOST', entryCriteria: ['LOST_REASON_SET'] },
          ],
        },
      }),
    ).createPipeline.pipeline;
    for (const [amount, currency] of [
      ['100', 'EUR'],
      ['200', 'EUR'],
      ['300', 'USD'],
    ]) {
      await createOpportunity(subject.as(admin), { pipelineId: pipeline.id, amount: { amount, currency } });
    }
    const moved = await createOpportunity(subject.as(admin), { pipelineId: pipeline.id, amount: { amount: '1000', currency: 'EUR' } });
    expectNoErrors(await moveStage(subject.as(admin), moved.id, 'TALKING'));

    // Act
    const board = expectNoErrors(await subject.as(admin)<any>(BOARD, { pipelineId: pipeline.id, cards: 2 })).pipelineBoard;

    // Assert
    expect(board.totalCount).toBe(4);
    expect(board.columns.map((column: any) => [column.stage.key, column.count, column.cards.length, column.hasMoreCards])).toEqual([
      ['NEW', 3, 2, true],
      ['TALKING', 1, 1, false],
      ['WON', 0, 0, false],
      ['LOST', 0, 0, false],
    ]);
    expect(board.columns[0].amount).toEqual([
      { amount: '300.00', currency: 'EUR' },
      { amount: '300.00', currency: 'USD' },
    ]);
    expect(board.columns[1].weightedAmount).toEqual([{ amount: '500.00', currency: 'EUR' }]);
  });

  it('costs the same number of SQL statements whatever the number of stages', async () => {
    // Arrange: the default pipeline has five stages; a second one gets twelve
    const stages = Array.from({ length: 10 }, (_, index) => ({ key: `S${index}`, name: `Stage ${index}`, probability: 0.1, category: 'OPEN' }));
    const wide = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id } } }`, {
        input: {
          name: 'Wide',
          stages: [...stages, { key: 'W', name: 'W', probability: 1, category: 'WON' }, { key: 'L', name: 'L', probability: 0, category: 'LOST' }],
        },
      }),
    ).createPipeline.pipeline;
    for (let index = 0; index < 3; index += 1) {
      await createOpportunity(subject.as(admin), { pipelineId: wide.id });
      await createOpportunity(subject.as(admin));
    }

    const defaultPipeline = expectNoErrors(await subject.as(admin)<any>('{ pipelines { id isDefault } }')).pipelines.find(
      (candidate: any) => candidate.isDefault,
    );

    // Act
    sql.reset();
    expectNoErrors(await subject.as(admin)(BOARD, { pipelineId: defaultPipeline.id, cards: 5 }));
    const narrow = requestStatements(sql);
    sql.reset();
    expectNoErrors(await subject.as(admin)(BOARD, { pipelineId: wide.id, cards: 5 }));
    const broad = requestStatements(sql);

    // Assert
    expect(broad).toBe(narrow);
    expect(broad).toBeLessThanOrEqual(8);
  });
});

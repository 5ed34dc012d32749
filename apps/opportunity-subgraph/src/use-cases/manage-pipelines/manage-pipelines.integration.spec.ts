import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createOpportunity, moveStage, readOpportunity, startOpportunityService } from '../../test-support';

const UPDATE = `mutation($input: UpdatePipelineStagesInput!) { updatePipelineStages(input: $input) { pipeline { version stages { key position } removedStages { key } } } }`;

describe('pipelines and stages as data', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('pipelines');
  });
  afterAll(async () => subject?.stop());

  const renewals = (extra: Array<Record<string, unknown>> = []) => [
    { key: 'RENEWAL_DUE', name: 'Renewal due', probability: 0.5, category: 'OPEN', stalledAfterDays: 30 },
    ...extra,
    { key: 'RENEWED', name: 'Renewed', probability: 1, category: 'WON', entryCriteria: ['DEAL_WON'] },
    { key: 'CHURNED', name: 'Churned', probability: 0, category: 'LOST', entryCriteria: ['LOST_REASON_SET'] },
  ];

  it('lets admins add pipelines and nobody else', async () => {
    const asRep = await subject.as(repActor('00000000-0000-4000-8000-00000000000a'))(
      `mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id } } }`,
      {
        input: { name: 'Renewals by rep', stages: renewals() },
      },
    );
    expect(errorCodes(asRep)).toEqual(['FORBIDDEN']);
  });

  it('validates the whole stage list (one WON, one LOST, closing stages last, known criteria)', async () => {
    const create = (stages: unknown) =>
      subject.as(admin)(`mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id } } }`, {
        input: { name: `P ${Math.random()}`, stages },
      });
    const twoWon = await create([...renewals(), { key: 'ALSO_WON', name: 'x', probability: 1, category: 'WON' }]);
    const unknownCriterion = await create(renewals([{ key: 'CHECK', name: 'Check', probability: 0.6, category: 'OPEN', entryCriteria: ['MOON_PHASE'] }]));
    expect(twoWon.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stages' });
    expect(unknownCriterion.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stages[1].entryCriteria[0]' });
  });

  it('changes stages on live data: a stage is removed only once empty, opportunities keep their keys, history stays readable', async () => {
    // Arrange: a renewals pipeline with a REVIEW stage holding one opportunity
    const pipeline = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id version } } }`, {
        input: { name: 'Renewals', stages: renewals([{ key: 'REVIEW', name: 'Review', probability: 0.7, category: 'OPEN' }]) },
      }),
    ).createPipeline.pipeline;
    const opportunity = await createOpportunity(subject.as(admin), { pipelineId: pipeline.id });
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'REVIEW'));

    // Act 1: removing REVIEW while it holds an open opportunity
    const blocked = await subject.as(admin)(UPDATE, { input: { pipelineId: pipeline.id, expectedVersion: 1, stages: renewals() } });

    // Assert 1
    expect(errorCodes(blocked)).toEqual(['CONFLICT']);
    expect(blocked.errors?.[0].extensions?.stages).toEqual(['REVIEW']);

    // Act 2: empty it, then remove it, renaming another stage and adding one
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'RENEWAL_DUE', { reason: 'Review done' }));
    const updated = expectNoErrors(
      await subject.as(admin)<any>(UPDATE, {
        input: {
          pipelineId: pipeline.id,
          expectedVersion: 1,
          stages: renewals([{ key: 'QUOTE', name: 'Quote', probability: 0.8, category: 'OPEN', entryCriteria: ['AMOUNT_SET'] }]),
        },
      }),
    ).updatePipelineStages.pipeline;
    const stale = await subject.as(admin)(UPDATE, { input: { pipelineId: pipeline.id, expectedVersion: 1, stages: renewals() } });

    // Assert 2
    expect(updated.version).toBe(2);
    expect(updated.stages.map((stage: any) => stage.key)).toEqual(['RENEWAL_DUE', 'QUOTE', 'RENEWED', 'CHURNED']);
    expect(updated.removedStages.map((stage: any) => stage.key)).toEqual(['REVIEW']);
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    const history = (await readOpportunity(subject.as(admin), opportunity.id)).stageHistory.map((entry: any) => entry.toStage);
    expect(history).toEqual(['RENEWAL_DUE', 'REVIEW', 'RENEWAL_DUE']);
    const gated = await moveStage(subject.as(admin), opportunity.id, 'QUOTE');
    expect(gated.errors?.[0].extensions?.unmetCriteria).toEqual(['AMOUNT_SET']);
  });

  it('keeps playbooks on stages and publishes each pipeline version as a fact', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.opportunityEvents}`]);
    await reader.start();
    const stages = renewals();
    stages[0] = {
      ...stages[0],
      guidance: 'Confirm usage before the renewal call',
      objectionNotes: [{ category: 'BUDGET', note: 'Offer a two-year price lock' }],
    };

    // Act
    const created = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id stages { key guidance objectionNotes { category note } } } } }`,
        {
          input: { name: `Playbook ${Math.random()}`, stages },
        },
      ),
    ).createPipeline.pipeline;
    const read = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { pipeline(id: $id) { stages { key guidance objectionNotes { category note } } } }`, { id: created.id }),
    ).pipeline;

    // Assert
    expect(read.stages[0]).toEqual({
      key: 'RENEWAL_DUE',
      guidance: 'Confirm usage before the renewal call',
      objectionNotes: [{ category: 'BUDGET', note: 'Offer a two-year price lock' }],
    });
    expect(read.stages[1]).toEqual({ key: 'RENEWED', guidance: null, objectionNotes: [] });
    const revised = await waitFor(
      () => reader.parsed<any>().find(({ event }) => event.type === 'sales.pipeline.revised.v1' && event.data.pipelineId === created.id)?.event,
      { what: 'the pipeline revision fact' },
    );
    await reader.stop();
    expect(validateCloudEvent(revised)).toEqual([]);
    expect(revised.data).toMatchObject({
      version: 1,
      revisedBy: admin.userId,
      stages: [{ key: 'RENEWAL_DUE', position: 1 }, { key: 'RENEWED' }, { key: 'CHURNED' }],
    });
  });
});

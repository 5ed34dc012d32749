import { randomUUID } from 'node:crypto';

import { adminActor, errorCodes, expectNoErrors, repActor, type TestService } from '@pipeline/testing';

import { startLeadService } from '../../test-support';

describe('lead scoring: rules, the learned model and manual overrides', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('scoring');
  });
  afterAll(async () => subject?.stop());

  it('keeps scoring by rules until there is enough closed history', async () => {
    const result = expectNoErrors(await subject.as(admin)<any>(`mutation { trainScoringModel { model { version } message } }`)).trainScoringModel;
    expect(result.model).toBeNull();
    expect(result.message).toMatch(/Not enough history/);
  });

  it('learns from converted vs disqualified leads, reports calibration, and rescores open leads with the model', async () => {
    // Arrange: 200 closed leads where referrals convert and social-media leads do not, plus one open lead of each
    const rows: string[] = [];
    for (let index = 0; index < 200; index += 1) {
      const referral = index % 2 === 0;
      const converted = referral ? index % 10 !== 0 : index % 10 === 1;
      rows.push(
        `('${randomUUID()}', 'Person ${index}', 'Company ${index}', '${referral ? 'REFERRAL' : 'SOCIAL_MEDIA'}', '${converted ? 'CONVERTED' : 'DISQUALIFIED'}', 10)`,
      );
    }
    await subject.service.dataSource.query(`INSERT INTO lead (id, name, company, source, status, computed_score) VALUES ${rows.join(', ')}`);
    const createOpen = async (source: string) =>
      expectNoErrors(
        await subject.as(admin)<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id score version } } }`, {
          input: { name: `Open ${source}`, company: `Open ${source} Co`, source },
        }),
      ).createLead.lead;
    const referralBefore = await createOpen('REFERRAL');
    const [referralLead, socialLead] = [referralBefore.id, (await createOpen('SOCIAL_MEDIA')).id];

    // Act
    const trained = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation { trainScoringModel { model { version trainingSize holdoutSize brierScore baselineBrierScore active } message } }`,
      ),
    ).trainScoringModel;

    // Assert
    expect(trained.model).toMatchObject({ active: true });
    expect(trained.model.trainingSize + trained.model.holdoutSize).toBe(200);
    expect(trained.model.brierScore).toBeLessThan(trained.model.baselineBrierScore);
    const score = async (id: string) =>
      expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { score version scoreDetails { method factors { factor } } } }`, { id }))
        .lead;
    const [referral, social] = [await score(referralLead), await score(socialLead)];
    expect(referral.scoreDetails.method).toBe('MODEL');
    expect(referral.score).toBeGreaterThan(social.score + 40);
    expect(referral.scoreDetails.factors.map((factor: any) => factor.factor)).toContain('MODEL_SOURCE');
    // The rescore is a change like any other: a new version, and an event for consumers whose copy holds the old score.
    expect(referral.score).not.toBe(referralBefore.score);
    expect(referral.version).toBe(referralBefore.version + 1);
    const updates = await subject.service.dataSource.query(
      `SELECT payload->'data' AS data FROM outbox WHERE aggregateid = $1 AND type = 'sales.lead.updated.v1'`,
      [referralLead],
    );
    expect(updates).toEqual([
      { data: expect.objectContaining({ changes: ['score'], version: referral.version, lead: expect.objectContaining({ score: referral.score }) }) },
    ]);
  });

  it('keeps a manual override apart from the computed score and restores the computed one when cleared', async () => {
    // Arrange
    const lead = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id score } } }`, {
        input: { name: 'Override', company: 'Override Co', source: 'OTHER' },
      }),
    ).createLead.lead;
    const override = (score: number | null, reason?: string) =>
      subject.as(admin)<any>(
        `mutation($input: OverrideLeadScoreInput!) { overrideLeadScore(input: $input) { lead { score scoreDetails { computed override overrideReason } } } }`,
        {
          input: { leadId: lead.id, score, reason },
        },
      );

    // Act
    const set = expectNoErrors(await override(95, 'CEO asked for a demo')).overrideLeadScore.lead;
    const missingReason = await override(80);
    const cleared = expectNoErrors(await override(null)).overrideLeadScore.lead;
    const byOtherRep = await subject.as(repActor(randomUUID()))(
      `mutation($input: OverrideLeadScoreInput!) { overrideLeadScore(input: $input) { lead { id } } }`,
      { input: { leadId: lead.id, score: 1, reason: 'x' } },
    );

    // Assert
    expect(set).toEqual({ score: 95, scoreDetails: { computed: lead.score, override: 95, overrideReason: 'CEO asked for a demo' } });
    expect(missingReason.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(cleared).toEqual({ score: lead.score, scoreDetails: { computed: lead.score, override: null, overrideReason: null } });
    expect(errorCodes(byOtherRep)).toEqual(['NOT_FOUND']);
  });

  it('rescores on activity and moves a NEW lead to WORKING', async () => {
    // Arrange: rules scoring, whatever another test trained
    await subject.service.dataSource.query('UPDATE scoring_model SET active = false');
    const lead = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
        input: { name: 'Active', company: 'Active Co', source: 'OTHER' },
      }),
    ).createLead.lead;
    const before = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { score } }`, { id: lead.id })).lead.score;
    const after = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: LogLeadActivityInput!) { logLeadActivity(input: $input) { lead { status score lastActivityAt activities { type subject } } } }`,
        {
          input: { leadId: lead.id, type: 'CALL', subject: 'Discovery call' },
        },
      ),
    ).logLeadActivity.lead;
    expect(after).toMatchObject({ status: 'WORKING', activities: [{ type: 'CALL', subject: 'Discovery call' }] });
    expect(after.score).toBe(before + 10);
  });
});

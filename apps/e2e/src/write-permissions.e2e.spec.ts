import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { adminActor, analystActor, errorCodes, expectNoErrors, type GraphQLCall, type GraphQLResponse, waitFor } from '@pipeline/testing';

import { callAs } from './e2e-env';
import { convertLead, createLead, createRep, inDays, opportunityInNegotiation, qualifyLead } from './scenario';

interface Targets {
  owner: string;
  ownerEmail: string;
  openLead: string;
  qualifiedLead: string;
  opportunity: string;
  draftProposal: string;
  sentProposal: string;
  approval: string;
  closedOpportunity: string;
  pipeline: string;
}

type Attempt = [mutation: string, run: (call: GraphQLCall, targets: Targets, self: string) => Promise<GraphQLResponse>];

const stage = (key: string, probability: number, category: string) => ({ key, name: key, probability, category });

// Every mutation of every subgraph (and taking records over), aimed at another team's records (or at settings only an admin changes), each
// with input that would succeed for the owner's manager or an admin.
const attempts: Attempt[] = [
  [
    'createSalesRep',
    (call) =>
      call(`mutation($i: CreateSalesRepInput!) { createSalesRep(input: $i) { salesRep { id } } }`, {
        i: { name: 'Intruder', email: `x-${randomUUID()}@example.com`, role: 'REP', teamId: 'victims', regions: [], industries: [], capacity: 5 },
      }),
  ],
  [
    'updateSalesRep',
    (call, t) => call(`mutation($i: UpdateSalesRepInput!) { updateSalesRep(input: $i) { salesRep { id } } }`, { i: { salesRepId: t.owner, capacity: 1 } }),
  ],
  [
    'createLead',
    (call, t) =>
      call(`mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } } }`, {
        i: { name: 'Planted', company: `Planted ${randomUUID()}`, source: 'OTHER', ownerId: t.owner },
      }),
  ],
  [
    'qualifyLead',
    (call, t) =>
      call(`mutation($i: QualifyLeadInput!) { qualifyLead(input: $i) { lead { id } } }`, {
        i: { leadId: t.openLead, hasBudget: true, isDecisionMaker: true, needConfirmed: true, need: 'x', expectedPurchaseDate: inDays(30) },
      }),
  ],
  [
    'assignLead',
    (call, t) => call(`mutation($i: AssignLeadInput!) { assignLead(input: $i) { lead { id } } }`, { i: { leadId: t.openLead, ownerId: t.owner } }),
  ],
  [
    'importLeads',
    (call, t) =>
      call(`mutation($i: ImportLeadsInput!) { importLeads(input: $i) { created } }`, {
        i: { csv: `name,company,source,ownerEmail\nPlanted,Planted ${randomUUID()},OTHER,${t.ownerEmail}`, mode: 'ALL_OR_NOTHING' },
      }),
  ],
  [
    'updateQualificationCriteria',
    (call) =>
      call(`mutation($i: UpdateQualificationCriteriaInput!) { updateQualificationCriteria(input: $i) { criteria { version } } }`, {
        i: { maxPurchaseHorizonDays: 1, requireDecisionMaker: false, requireConfirmedNeed: false },
      }),
  ],
  [
    'logLeadActivity',
    (call, t) =>
      call(`mutation($i: LogLeadActivityInput!) { logLeadActivity(input: $i) { activity { id } } }`, {
        i: { leadId: t.openLead, type: 'NOTE', subject: 'Planted' },
      }),
  ],
  [
    'overrideLeadScore',
    (call, t) =>
      call(`mutation($i: OverrideLeadScoreInput!) { overrideLeadScore(input: $i) { lead { id } } }`, {
        i: { leadId: t.openLead, score: 1, reason: 'Planted' },
      }),
  ],
  ['trainScoringModel', (call) => call(`mutation { trainScoringModel { message } }`)],
  [
    'createOpportunity',
    (call, t) =>
      call(`mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id } } }`, {
        i: { name: 'Planted', accountName: 'Planted', ownerId: t.owner },
      }),
  ],
  ['convertLead', (call, t) => call(`mutation($i: ConvertLeadInput!) { convertLead(input: $i) { opportunity { id } } }`, { i: { leadId: t.qualifiedLead } })],
  [
    'moveOpportunityStage',
    (call, t) =>
      call(`mutation($i: MoveOpportunityStageInput!) { moveOpportunityStage(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.opportunity, toStage: 'CLOSED_LOST' },
      }),
  ],
  [
    'updateOpportunity',
    (call, t) =>
      call(`mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.opportunity, name: 'Taken' },
      }),
  ],
  [
    'updateOpportunity taking it over',
    (call, t, self) =>
      call(`mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.opportunity, ownerId: self },
      }),
  ],
  [
    'assignLead to oneself',
    (call, t, self) => call(`mutation($i: AssignLeadInput!) { assignLead(input: $i) { lead { id } } }`, { i: { leadId: t.openLead, ownerId: self } }),
  ],
  [
    'logActivity',
    (call, t) =>
      call(`mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }`, {
        i: { opportunityId: t.opportunity, type: 'NOTE', subject: 'Planted' },
      }),
  ],
  [
    'createPipeline',
    (call) =>
      call(`mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { pipeline { id } } }`, {
        i: { name: `Planted ${randomUUID()}`, stages: [stage('OPEN', 0.5, 'OPEN'), stage('WON', 1, 'WON'), stage('LOST', 0, 'LOST')] },
      }),
  ],
  [
    'updatePipelineStages',
    (call, t) =>
      call(`mutation($i: UpdatePipelineStagesInput!) { updatePipelineStages(input: $i) { pipeline { id } } }`, {
        i: { pipelineId: t.pipeline, name: 'Renamed', stages: [stage('OPEN', 0.5, 'OPEN'), stage('WON', 1, 'WON'), stage('LOST', 0, 'LOST')] },
      }),
  ],
  [
    'setDealSizeBands',
    (call) =>
      call(`mutation($i: SetDealSizeBandsInput!) { setDealSizeBands(input: $i) { bands { name } } }`, { i: { bands: [{ name: 'ALL', minAmount: '0' }] } }),
  ],
  [
    'importOpportunities',
    (call, t) =>
      call(`mutation($i: ImportOpportunitiesInput!) { importOpportunities(input: $i) { created } }`, {
        i: {
          opportunities: [
            {
              externalId: `x-${randomUUID()}`,
              name: 'Planted',
              accountName: 'Planted',
              ownerId: t.owner,
              createdAt: new Date().toISOString(),
              stages: [{ toStage: 'QUALIFICATION', changedAt: new Date().toISOString() }],
            },
          ],
        },
      }),
  ],
  [
    'createProposal',
    (call, t) =>
      call(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, {
        i: { opportunityId: t.opportunity, lineItems: [{ description: 'x', quantity: 1, unitPrice: { amount: '1.00', currency: 'EUR' } }] },
      }),
  ],
  [
    'sendProposal',
    (call, t) => call(`mutation($i: SendProposalInput!) { sendProposal(input: $i) { proposal { id } } }`, { i: { proposalId: t.draftProposal } }),
  ],
  [
    'decideProposal',
    (call, t) =>
      call(`mutation($i: DecideProposalInput!) { decideProposal(input: $i) { proposal { id } } }`, {
        i: { proposalId: t.sentProposal, accepted: false, reason: 'Planted' },
      }),
  ],
  [
    'setDealTerms',
    (call, t) =>
      call(`mutation($i: SetDealTermsInput!) { setDealTerms(input: $i) { deal { id } } }`, {
        i: { opportunityId: t.opportunity, discountPercent: 5, paymentTermsDays: 30, contractLengthMonths: 12 },
      }),
  ],
  [
    'decideDiscountApproval',
    (call, t) =>
      call(`mutation($i: DecideDiscountApprovalInput!) { decideDiscountApproval(input: $i) { deal { id } } }`, {
        i: { approvalId: t.approval, approve: true },
      }),
  ],
  [
    'recordCommitment',
    (call, t) =>
      call(`mutation($i: RecordCommitmentInput!) { recordCommitment(input: $i) { deal { id } } }`, {
        i: { opportunityId: t.opportunity, type: 'VERBAL', contactName: 'Planted' },
      }),
  ],
  [
    'closeDeal',
    (call, t) =>
      call(`mutation($i: CloseDealInput!) { closeDeal(input: $i) { deal { id } } }`, {
        i: { opportunityId: t.opportunity, outcome: 'LOST', lostReason: 'PRICE' },
      }),
  ],
  [
    'reopenDeal',
    (call, t) =>
      call(`mutation($i: ReopenDealInput!) { reopenDeal(input: $i) { deal { id } } }`, { i: { opportunityId: t.closedOpportunity, reason: 'Planted' } }),
  ],
  [
    'updateDealSettings',
    (call) =>
      call(`mutation($i: UpdateDealSettingsInput!) { updateDealSettings(input: $i) { settings { discountApprovalThresholdPercent } } }`, {
        i: { discountApprovalThresholdPercent: 99, requireWrittenCommitmentToWin: false },
      }),
  ],
  ['takeForecastSnapshot', (call) => call(`mutation { takeForecastSnapshot { id } }`)],
  ['generateWeeklySummary', (call) => call(`mutation { generateWeeklySummary { weekStart } }`)],
];

// What a refused write must have left as it was: the records and settings each mutation above aims at.
const STATE = `query($lead: ID!, $opportunity: ID!, $closed: ID!) {
  lead(id: $lead) { version owner { id } activities { id } }
  opportunity(id: $opportunity) { version name owner { id } stage { key } activities { id } deal { version proposals { id status } approvals { status } commitments { type } terms { discountPercent } } }
  closed: deal(opportunityId: $closed) { outcome version }
  qualificationCriteria { version }
  pipelines { id name }
  dealSettings { discountApprovalThresholdPercent }
  dealSizeBands { name }
  forecastSnapshots { id }
  weeklySummaries { weekStart }
}`;

// ANALYST adds read scope and never write scope, whatever other role a token carries.
describe('combined roles never widen what a caller may change', () => {
  const victims = `victims-${randomUUID().slice(0, 6)}`;
  const intruders = `intruders-${randomUUID().slice(0, 6)}`;
  let admin: GraphQLCall;
  let targets: Targets;
  let intruderRep: string;
  let intruderManager: string;

  beforeAll(async () => {
    admin = await callAs(adminActor());
    const ownerEmail = `owner-${randomUUID()}@example.com`;
    const owner = await createRep(admin, { teamId: victims, email: ownerEmail });
    intruderRep = await createRep(admin, { teamId: intruders });
    intruderManager = await createRep(admin, { teamId: intruders, role: 'MANAGER' });
    const openLead = await createLead(admin, owner);
    const qualifiedLead = await createLead(admin, owner);
    await qualifyLead(admin, qualifiedLead);
    const opportunity = await opportunityInNegotiation(admin, owner);
    const deal = expectNoErrors(
      await admin<any>(`mutation($i: SetDealTermsInput!) { setDealTerms(input: $i) { deal { approvals { id } proposals { id } } } }`, {
        i: { opportunityId: opportunity, discountPercent: 30, paymentTermsDays: 30, contractLengthMonths: 12 },
      }),
    ).setDealTerms.deal;
    const draftProposal = expectNoErrors(
      await admin<any>(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, {
        i: { opportunityId: opportunity, lineItems: [{ description: 'Draft', quantity: 1, unitPrice: { amount: '100.00', currency: 'EUR' } }] },
      }),
    ).createProposal.proposal.id;
    const closedOpportunity = (await convertLead(admin, await qualifyLead(admin, await createLead(admin, owner)).then((lead) => lead.id))).id;
    expectNoErrors(
      await admin(`mutation($i: CloseDealInput!) { closeDeal(input: $i) { deal { id } } }`, {
        i: { opportunityId: closedOpportunity, outcome: 'LOST', lostReason: 'PRICE' },
      }),
    );
    await waitFor(
      async () =>
        expectNoErrors(await admin<any>(`query($id: ID!) { opportunity(id: $id) { status } }`, { id: closedOpportunity })).opportunity.status === 'LOST',
      { what: 'the lost deal to close its opportunity' },
    );
    const pipeline = expectNoErrors(await admin<any>(`{ pipelines { id } }`)).pipelines[0].id;
    targets = {
      owner,
      ownerEmail,
      openLead,
      qualifiedLead,
      opportunity,
      draftProposal,
      sentProposal: deal.proposals[0].id,
      approval: deal.approvals[0].id,
      closedOpportunity,
      pipeline,
    };
  });

  const intruderActors: Array<[string, () => Actor]> = [
    ['REP+ANALYST of another team', () => ({ userId: intruderRep, roles: ['REP', 'ANALYST'], teamId: intruders })],
    ['MANAGER+ANALYST of another team', () => ({ userId: intruderManager, roles: ['MANAGER', 'ANALYST'], teamId: intruders })],
    ['ANALYST', analystActor],
  ];

  it.each(intruderActors)('%s is refused every write and changes nothing', async (_label, actorOf) => {
    // Arrange
    const actor = actorOf();
    const call = await callAs(actor);
    const before = expectNoErrors(await admin(STATE, { lead: targets.openLead, opportunity: targets.opportunity, closed: targets.closedOpportunity }));

    // Act
    const outcomes: Record<string, string> = {};
    for (const [mutation, run] of attempts) {
      const response = await run(call, targets, actor.userId);
      outcomes[mutation] = response.errors?.length
        ? errorCodes(response).join(',')
        : mutation === 'importLeads'
          ? `created ${(response.data as any).importLeads.created}`
          : 'OK';
    }
    const after = expectNoErrors(await admin(STATE, { lead: targets.openLead, opportunity: targets.opportunity, closed: targets.closedOpportunity }));

    // Assert: a refusal (FORBIDDEN where the caller may read the record, NOT_FOUND where not); the import refuses its row
    const notRefused = Object.entries(outcomes).filter(
      ([mutation, outcome]) => !/^(FORBIDDEN|NOT_FOUND)$/.test(outcome) && !(mutation === 'importLeads' && outcome === 'created 0'),
    );
    expect(notRefused).toEqual([]);
    expect(after).toEqual(before);
  });

  it('a REP+ANALYST still works their own records', async () => {
    // Arrange
    const call = await callAs({ userId: targets.owner, roles: ['REP', 'ANALYST'], teamId: victims });

    // Act
    const logged = await call(`mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }`, {
      i: { opportunityId: targets.opportunity, type: 'NOTE', subject: 'Own work' },
    });

    // Assert
    expect(logged.errors).toBeUndefined();
  });
});

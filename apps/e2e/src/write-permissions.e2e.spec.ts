import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Supergraph } from '@apollo/federation-internals';
import { workspaceRoot } from '@pipeline/dev-infra';
import type { Actor } from '@pipeline/domain';
import { withDatabase } from '@pipeline/persistence';
import { adminActor, analystActor, errorCodes, expectNoErrors, type GraphQLCall, type GraphQLResponse, waitFor } from '@pipeline/testing';
import { buildSchema, Kind, parse, printSchema } from 'graphql';
import { Client } from 'pg';

import { callAs } from './e2e-env';
import { convertLead, createLead, createRep, inDays, opportunityInNegotiation, qualifyLead } from './scenario';

interface Targets {
  // An admin's client, to read the version a call must name.
  read: GraphQLCall;
  team: string;
  intruderTeam: string;
  owner: string;
  ownerEmail: string;
  openLead: string;
  qualifiedLead: string;
  duplicateLead: string;
  archivedLead: string;
  staleLead: string;
  intruderLead: string;
  opportunity: string;
  archivedOpportunity: string;
  account: string;
  contact: string;
  linkedContact: string;
  draftProposal: string;
  sentProposal: string;
  approval: string;
  closedOpportunity: string;
  pipeline: string;
  task: string;
  webhook: string;
  notification: string;
}

type Run = (call: GraphQLCall, targets: Targets, self: string) => Promise<GraphQLResponse>;
// A success the sweep accepts: the mutation acts only on the caller's own (or shared) data and left the other team's alone.
type Harmless = (data: any, targets: Targets, actor: Actor) => boolean;
// The label starts with the mutation's name; what follows tells apart several attempts at one mutation.
type Attempt = [label: string, run: Run, harmless?: Harmless];

const mutationOf = (label: string): string => label.split(' ')[0];

const stage = (key: string, probability: number, category: string) => ({ key, name: key, probability, category });

const dueIn = (days: number): string => `${inDays(days)}T10:00:00Z`;

const leadVersion = async (t: Targets, id: string): Promise<number> =>
  expectNoErrors(await t.read<any>(`query($id: ID!) { lead(id: $id) { version } }`, { id })).lead.version;

// Every mutation of every subgraph (and taking records over), aimed at another team's records (or at settings only an admin changes), each
// with input that would succeed for the owner's manager or an admin. The first test below keeps this list complete.
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
    "updateSalesRep moving the rep into the caller's team",
    (call, t) =>
      call(`mutation($i: UpdateSalesRepInput!) { updateSalesRep(input: $i) { salesRep { id } } }`, { i: { salesRepId: t.owner, teamId: t.intruderTeam } }),
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
    // The import refuses row by row in its report.
    (data) => data.created === 0,
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
  [
    'updateLead',
    async (call, t) =>
      call(`mutation($i: UpdateLeadInput!) { updateLead(input: $i) { lead { id } } }`, {
        i: { leadId: t.openLead, expectedVersion: await leadVersion(t, t.openLead), name: 'Renamed' },
      }),
  ],
  [
    'archiveLead',
    (call, t) => call(`mutation($i: ArchiveLeadInput!) { archiveLead(input: $i) { lead { id } } }`, { i: { leadId: t.openLead, reason: 'Planted' } }),
  ],
  ['restoreLead', (call, t) => call(`mutation($i: RestoreLeadInput!) { restoreLead(input: $i) { lead { id } } }`, { i: { leadId: t.archivedLead } })],
  // Erasure is an administrator's act alone; the lead's name and version below show it did not happen.
  ['eraseLead', (call, t) => call(`mutation($i: EraseLeadInput!) { eraseLead(input: $i) { erasedAt } }`, { i: { leadId: t.openLead } })],
  [
    'mergeLeads',
    (call, t) =>
      call(`mutation($i: MergeLeadsInput!) { mergeLeads(input: $i) { lead { id } } }`, { i: { leadId: t.openLead, duplicateLeadId: t.duplicateLead } }),
  ],
  [
    "mergeLeads into a lead of the caller's team",
    (call, t) =>
      call(`mutation($i: MergeLeadsInput!) { mergeLeads(input: $i) { lead { id } } }`, { i: { leadId: t.intruderLead, duplicateLeadId: t.openLead } }),
  ],
  [
    'reassignStaleLeads',
    (call) => call(`mutation { reassignStaleLeads { reassigned leads { id } } }`),
    // A manager's run is scoped to their own team: it may move that team's stale leads, never the other team's.
    (data, t) => !data.leads.some((lead: { id: string }) => lead.id === t.staleLead),
  ],
  [
    'archiveOpportunity',
    (call, t) =>
      call(`mutation($i: ArchiveOpportunityInput!) { archiveOpportunity(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.opportunity, reason: 'Planted' },
      }),
  ],
  [
    'restoreOpportunity',
    (call, t) =>
      call(`mutation($i: RestoreOpportunityInput!) { restoreOpportunity(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.archivedOpportunity },
      }),
  ],
  [
    'createContact',
    (call, t) => call(`mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }`, { i: { accountId: t.account, name: 'Planted' } }),
    // Accounts and the people at them are shared by every team (one account per name); a new contact is on nobody's
    // opportunity until linked, which takes write access to that opportunity. Whoever may write anything may add one.
    (_data, _t, actor) => actor.roles.some((role) => role === 'REP' || role === 'MANAGER' || role === 'ADMIN'),
  ],
  [
    'linkOpportunityContact',
    (call, t) =>
      call(`mutation($i: LinkOpportunityContactInput!) { linkOpportunityContact(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.opportunity, contactId: t.contact, role: 'CHAMPION' },
      }),
  ],
  [
    'unlinkOpportunityContact',
    (call, t) =>
      call(`mutation($i: UnlinkOpportunityContactInput!) { unlinkOpportunityContact(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: t.opportunity, contactId: t.linkedContact },
      }),
  ],
  // Erasure is an administrator's act alone; the contact's name below shows it did not happen.
  ['eraseContact', (call, t) => call(`mutation($i: EraseContactInput!) { eraseContact(input: $i) { erasedAt } }`, { i: { contactId: t.linkedContact } })],
  [
    'recordObjection',
    (call, t) =>
      call(`mutation($i: RecordObjectionInput!) { recordObjection(input: $i) { objection { id } } }`, {
        i: { opportunityId: t.opportunity, category: 'PRICE', note: 'Planted' },
      }),
  ],
  [
    'createTask',
    (call, t) =>
      call(`mutation($i: CreateTaskInput!) { createTask(input: $i) { task { id } } }`, {
        i: { title: 'Planted', dueAt: dueIn(3), assigneeId: t.owner, leadId: t.openLead },
      }),
  ],
  [
    'createTask for oneself',
    (call, t) =>
      call(`mutation($i: CreateTaskInput!) { createTask(input: $i) { task { id } } }`, { i: { title: 'Planted', dueAt: dueIn(3), leadId: t.openLead } }),
  ],
  [
    "createTask on a lead of the caller's team for the other team's rep",
    (call, t) =>
      call(`mutation($i: CreateTaskInput!) { createTask(input: $i) { task { id } } }`, {
        i: { title: 'Planted', dueAt: dueIn(3), assigneeId: t.owner, leadId: t.intruderLead },
      }),
  ],
  ['completeTask', (call, t) => call(`mutation($i: CompleteTaskInput!) { completeTask(input: $i) { task { id } } }`, { i: { taskId: t.task } })],
  [
    'rescheduleTask',
    (call, t) => call(`mutation($i: RescheduleTaskInput!) { rescheduleTask(input: $i) { task { id } } }`, { i: { taskId: t.task, dueAt: dueIn(5) } }),
  ],
  ['cancelTask', (call, t) => call(`mutation($i: CancelTaskInput!) { cancelTask(input: $i) { task { id } } }`, { i: { taskId: t.task, reason: 'Planted' } })],
  [
    'markNotificationsRead',
    (call, t) => call(`mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { markedCount } }`, { i: { ids: [t.notification] } }),
    // It marks only the caller's own notifications: another person's id matches nothing (and the owner's stays unread, checked below).
    (data) => data.markedCount === 0,
  ],
  [
    'registerTeamWebhook',
    (call, t) =>
      call(`mutation($i: RegisterTeamWebhookInput!) { registerTeamWebhook(input: $i) { webhook { id } } }`, {
        i: { teamId: t.team, url: 'http://127.0.0.1:9/planted' },
      }),
  ],
  [
    'disableTeamWebhook',
    (call, t) => call(`mutation($i: DisableTeamWebhookInput!) { disableTeamWebhook(input: $i) { webhook { id } } }`, { i: { webhookId: t.webhook } }),
  ],
];

// What a refused write must have left as it was: the records and settings each mutation above aims at.
const STATE = `query($lead: ID!, $duplicate: ID!, $archivedLead: ID!, $stale: ID!, $intruderLead: ID!, $opportunity: ID!, $archivedOpportunity: ID!, $closed: ID!, $owner: ID!, $team: String!) {
  lead(id: $lead) { version name archivedAt owner { id } activities { id } }
  duplicate: lead(id: $duplicate) { version archivedAt mergedInto { id } activities { id } }
  archivedLead: lead(id: $archivedLead) { version archivedAt }
  stale: lead(id: $stale) { version owner { id } }
  intruderLead: lead(id: $intruderLead) { version activities { id } }
  opportunity(id: $opportunity) { version name archivedAt owner { id } stage { key } activities { id } contacts { contact { id name } role } deal { version proposals { id status } approvals { status } commitments { type } terms { discountPercent } } }
  archivedOpportunity: opportunity(id: $archivedOpportunity) { version archivedAt }
  closed: deal(opportunityId: $closed) { outcome version }
  ownerRep: salesRep(id: $owner) { teamId capacity active regions industries }
  ownerTasks: tasks(filter: { assigneeId: $owner }) { edges { node { id status dueAt version cancelReason } } }
  intruderLeadTasks: tasks(filter: { leadId: $intruderLead }) { totalCount }
  teamWebhooks(teamId: $team) { id url active }
  qualificationCriteria { version }
  pipelines { id name }
  dealSettings { discountApprovalThresholdPercent }
  dealSizeBands { name }
  forecastSnapshots { id }
  weeklySummaries { weekStart }
}`;

const NOTIFICATIONS = `{ notifications(first: 200) { edges { node { id readAt lead { id } } } } }`;

// The composed API's mutations, as the gateway serves them.
function supergraphMutations(): string[] {
  const sdl = fs.readFileSync(path.join(workspaceRoot(), 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
  const schema = buildSchema(printSchema(Supergraph.build(sdl).apiSchema().toGraphQLJSSchema()));
  return Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
}

// The mutations a document calls, so an attempt cannot claim one mutation and send another.
const mutationsIn = (query: string): string[] =>
  parse(query).definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'mutation'
      ? definition.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []))
      : [],
  );

describe('the write sweep', () => {
  it('has an attempt at every mutation of the composed supergraph and none at a mutation it no longer has', () => {
    // Arrange
    const inSupergraph = supergraphMutations();

    // Act
    const attempted = new Set(attempts.map(([label]) => mutationOf(label)));

    // Assert
    expect({
      withoutAttempt: inSupergraph.filter((mutation) => !attempted.has(mutation)),
      notInSupergraph: [...attempted].filter((mutation) => !inSupergraph.includes(mutation)).sort(),
    }).toEqual({ withoutAttempt: [], notInSupergraph: [] });
  });
});

// ANALYST adds read scope and never write scope, whatever other role a token carries.
describe('combined roles never widen what a caller may change', () => {
  const victims = `victims-${randomUUID().slice(0, 6)}`;
  const intruders = `intruders-${randomUUID().slice(0, 6)}`;
  let admin: GraphQLCall;
  let owner: GraphQLCall;
  let targets: Targets;
  let intruderRep: string;
  let intruderManager: string;
  let victimManager: string;

  const state = () =>
    admin(STATE, {
      lead: targets.openLead,
      duplicate: targets.duplicateLead,
      archivedLead: targets.archivedLead,
      stale: targets.staleLead,
      intruderLead: targets.intruderLead,
      opportunity: targets.opportunity,
      archivedOpportunity: targets.archivedOpportunity,
      closed: targets.closedOpportunity,
      owner: targets.owner,
      team: targets.team,
    }).then(expectNoErrors);
  const ownerNotification = async () =>
    expectNoErrors(await owner<any>(NOTIFICATIONS)).notifications.edges.find((edge: any) => edge.node.id === targets.notification)?.node;

  beforeAll(async () => {
    admin = await callAs(adminActor());
    const ownerEmail = `owner-${randomUUID()}@example.com`;
    const ownerId = await createRep(admin, { teamId: victims, email: ownerEmail });
    owner = await callAs({ userId: ownerId, roles: ['REP'], teamId: victims });
    victimManager = await createRep(admin, { teamId: victims, role: 'MANAGER' });
    // Someone on the team to take the stale lead when the rightful manager runs the SLA sweep.
    await createRep(admin, { teamId: victims });
    intruderRep = await createRep(admin, { teamId: intruders });
    intruderManager = await createRep(admin, { teamId: intruders, role: 'MANAGER' });
    const openLead = await createLead(admin, ownerId);
    const qualifiedLead = await createLead(admin, ownerId);
    await qualifyLead(admin, qualifiedLead);
    const duplicateLead = await createLead(admin, ownerId);
    const archivedLead = await createLead(admin, ownerId);
    expectNoErrors(await admin(`mutation($i: ArchiveLeadInput!) { archiveLead(input: $i) { lead { id } } }`, { i: { leadId: archivedLead } }));
    const intruderLead = await createLead(admin, intruderRep);
    // A 48-hour SLA cannot pass in a test: the lead is aged where it is stored.
    const staleLead = await createLead(admin, ownerId);
    const leadDatabase = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL as string, `${process.env.E2E_DATABASE_PREFIX}_lead`) });
    await leadDatabase.connect();
    try {
      await leadDatabase.query(
        `UPDATE lead SET created_at = now() - interval '30 days', assigned_at = now() - interval '30 days', last_activity_at = NULL WHERE id = $1`,
        [staleLead],
      );
    } finally {
      await leadDatabase.end();
    }
    const opportunity = await opportunityInNegotiation(admin, ownerId);
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
    const account = expectNoErrors(await admin<any>(`query($id: ID!) { opportunity(id: $id) { account { id } } }`, { id: opportunity })).opportunity.account.id;
    const newContact = async (name: string): Promise<string> =>
      expectNoErrors(await admin<any>(`mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }`, { i: { accountId: account, name } }))
        .createContact.contact.id;
    const contact = await newContact('Unlinked Buyer');
    const linkedContact = await newContact('Linked Buyer');
    expectNoErrors(
      await admin(`mutation($i: LinkOpportunityContactInput!) { linkOpportunityContact(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: opportunity, contactId: linkedContact, role: 'DECISION_MAKER' },
      }),
    );
    const archivedOpportunity = expectNoErrors(
      await admin<any>(`mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id } } }`, {
        i: { name: 'Shelved', accountName: `Shelved ${randomUUID()}`, ownerId },
      }),
    ).createOpportunity.opportunity.id;
    expectNoErrors(
      await admin(`mutation($i: ArchiveOpportunityInput!) { archiveOpportunity(input: $i) { opportunity { id } } }`, {
        i: { opportunityId: archivedOpportunity },
      }),
    );
    const closedOpportunity = (await convertLead(admin, await qualifyLead(admin, await createLead(admin, ownerId)).then((lead) => lead.id))).id;
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
    const task = expectNoErrors(
      await admin<any>(`mutation($i: CreateTaskInput!) { createTask(input: $i) { task { id } } }`, {
        i: { title: 'Call back', dueAt: dueIn(3), assigneeId: ownerId, leadId: openLead },
      }),
    ).createTask.task.id;
    const webhook = expectNoErrors(
      await admin<any>(`mutation($i: RegisterTeamWebhookInput!) { registerTeamWebhook(input: $i) { webhook { id } } }`, {
        i: { teamId: victims, url: 'http://127.0.0.1:9/victims' },
      }),
    ).registerTeamWebhook.webhook.id;
    let notification = '';
    await waitFor(
      async () => {
        const edges = expectNoErrors(await owner<any>(NOTIFICATIONS)).notifications.edges;
        notification = edges.find((edge: any) => edge.node.lead?.id === openLead && edge.node.readAt === null)?.node.id ?? '';
        return notification !== '';
      },
      { what: "the owner's notification of their new lead" },
    );
    targets = {
      read: admin,
      team: victims,
      intruderTeam: intruders,
      owner: ownerId,
      ownerEmail,
      openLead,
      qualifiedLead,
      duplicateLead,
      archivedLead,
      staleLead,
      intruderLead,
      opportunity,
      archivedOpportunity,
      account,
      contact,
      linkedContact,
      draftProposal,
      sentProposal: deal.proposals[0].id,
      approval: deal.approvals[0].id,
      closedOpportunity,
      pipeline,
      task,
      webhook,
      notification,
    };
  });

  const intruderActors: Array<[string, () => Actor]> = [
    ['REP+ANALYST of another team', () => ({ userId: intruderRep, roles: ['REP', 'ANALYST'], teamId: intruders })],
    ['MANAGER+ANALYST of another team', () => ({ userId: intruderManager, roles: ['MANAGER', 'ANALYST'], teamId: intruders })],
    ['ANALYST', analystActor],
    // Without ANALYST the other team's records are out of sight as well: refused as not found.
    ['REP of another team', () => ({ userId: intruderRep, roles: ['REP'], teamId: intruders })],
    ['MANAGER of another team', () => ({ userId: intruderManager, roles: ['MANAGER'], teamId: intruders })],
  ];

  it.each(intruderActors)('%s is refused every write and changes nothing', async (_label, actorOf) => {
    // Arrange
    const actor = actorOf();
    const call = await callAs(actor);
    const before = await state();

    // Act
    const outcomes: Record<string, string> = {};
    const misnamed: string[] = [];
    for (const [label, run, harmless] of attempts) {
      const sent: string[] = [];
      const recording: GraphQLCall = (query, variables) => {
        sent.push(...mutationsIn(query));
        return call(query, variables);
      };
      const response = await run(recording, targets, actor.userId);
      if (sent.join() !== mutationOf(label)) misnamed.push(`${label}: sent ${sent.join() || 'nothing'}`);
      outcomes[label] = response.errors?.length
        ? errorCodes(response).join(',')
        : harmless?.((response.data as any)[mutationOf(label)], targets, actor)
          ? 'HARMLESS'
          : 'OK';
    }
    const after = await state();

    // Assert: a refusal (FORBIDDEN where the caller may read the record, NOT_FOUND where not), or a success that touched only the caller's own or shared data
    const notRefused = Object.entries(outcomes).filter(([, outcome]) => !/^(FORBIDDEN|NOT_FOUND|HARMLESS)$/.test(outcome));
    expect({ misnamed, notRefused }).toEqual({ misnamed: [], notRefused: [] });
    expect(after).toEqual(before);
    expect((await ownerNotification())?.readAt).toBeNull();
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

  // The refusals above prove the checks only if the same calls go through for the rightful caller. Ordered so that each
  // leaves the shared targets fit for the next (the archives come last).
  it("the same calls go through for the owner's manager", async () => {
    // Arrange
    const manager = await callAs({ userId: victimManager, roles: ['MANAGER'], teamId: victims });
    const byLabel = new Map(attempts.map(([label, run]) => [label, run]));
    const labels = [
      'updateLead',
      'createTask',
      'createTask for oneself',
      'rescheduleTask',
      'completeTask',
      'recordObjection',
      'createContact',
      'linkOpportunityContact',
      'unlinkOpportunityContact',
      'mergeLeads',
      'restoreLead',
      'restoreOpportunity',
      'disableTeamWebhook',
      'reassignStaleLeads',
      'archiveLead',
      'archiveOpportunity',
    ];

    // Act
    const failures: string[] = [];
    const results: Record<string, any> = {};
    for (const label of labels) {
      const run = byLabel.get(label);
      if (!run) throw new Error(`No attempt labelled ${label}`);
      const response = await run(manager, targets, victimManager);
      if (response.errors?.length) failures.push(`${label}: ${response.errors.map((error) => `${error.extensions?.code} ${error.message}`).join('; ')}`);
      else results[label] = (response.data as any)[mutationOf(label)];
    }
    const registered = await byLabel.get('registerTeamWebhook')?.(manager, targets, victimManager);
    // Nothing listens there: no deliveries left retrying for the rest of the run.
    const disabled = await manager(`mutation($i: DisableTeamWebhookInput!) { disableTeamWebhook(input: $i) { webhook { active } } }`, {
      i: { webhookId: (registered?.data as any)?.registerTeamWebhook.webhook.id },
    });
    const ownRead = await byLabel.get('markNotificationsRead')?.(owner, targets, targets.owner);

    // Assert
    expect(failures).toEqual([]);
    expect(results.reassignStaleLeads.leads.map((lead: { id: string }) => lead.id)).toContain(targets.staleLead);
    expect(registered?.errors).toBeUndefined();
    expect(expectNoErrors(disabled as GraphQLResponse<any>).disableTeamWebhook.webhook.active).toBe(false);
    expect(expectNoErrors(ownRead as GraphQLResponse<any>).markNotificationsRead.markedCount).toBe(1);
    expect((await ownerNotification())?.readAt).not.toBeNull();
  });
});

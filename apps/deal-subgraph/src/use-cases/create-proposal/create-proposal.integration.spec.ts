import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { TOPICS } from '@pipeline/events';
import {
  adminActor,
  analystActor,
  errorCodes,
  expectNoErrors,
  managerActor,
  type PersonalDataOwner,
  repActor,
  startPersonalDataOwner,
  type TestService,
  TopicReader,
  waitFor,
} from '@pipeline/testing';

import { arrangeOpportunity, holdDealLock, leadQualifiedData, publish, publishRep, rowLockState, startDealService } from '../../test-support';

const CREATE = `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id version status subtotal { amount currency } total { amount currency } lineItems { total { amount } discountPercent } } deal { id } } }`;
const SEND = `mutation($input: SendProposalInput!) { sendProposal(input: $input) { proposal { id status sentAt } } }`;

describe('proposals', () => {
  let subject: TestService;
  const admin = adminActor();
  let owner: PersonalDataOwner;

  beforeAll(async () => {
    owner = await startPersonalDataOwner('proposals', ['deal-subgraph']);
    subject = await startDealService('proposals', { personalData: owner.opener('deal-subgraph') });
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

  const lines = [
    { description: 'Licences', quantity: 12, unitPrice: { amount: '199.99', currency: 'EUR' }, discountPercent: 12.5 },
    { description: 'Onboarding', quantity: 1, unitPrice: { amount: '1500.00', currency: 'EUR' } },
  ];

  it('prices line items in exact decimals and opens the deal with its first proposal', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject);
    const before = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { deal(opportunityId: $id) { id } }`, { id: opportunityId })).deal;

    // Act
    const created = expectNoErrors(
      await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines, validUntil: '2030-01-31' } }),
    ).createProposal;

    // Assert
    expect(before).toBeNull();
    expect(created.proposal).toMatchObject({
      version: 1,
      status: 'DRAFT',
      subtotal: { amount: '3899.88', currency: 'EUR' },
      total: { amount: '3599.90', currency: 'EUR' },
      lineItems: [
        { total: { amount: '2099.90' }, discountPercent: 12.5 },
        { total: { amount: '1500.00' }, discountPercent: 0 },
      ],
    });
    expect(created.deal.id).toBeTruthy();
  });

  it('versions proposals: a new one supersedes the previous draft; a sent one is frozen', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject);
    const first = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines } })).createProposal.proposal;
    const second = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines.slice(0, 1) } })).createProposal.proposal;

    // Act
    const sent = expectNoErrors(await subject.as(admin)<any>(SEND, { input: { proposalId: second.id } })).sendProposal.proposal;
    const sendAgain = await subject.as(admin)(SEND, { input: { proposalId: second.id } });
    const sendSuperseded = await subject.as(admin)(SEND, { input: { proposalId: first.id } });
    const third = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines } })).createProposal.proposal;

    // Assert
    expect(sent.status).toBe('SENT');
    expect([sendAgain, sendSuperseded].map(errorCodes)).toEqual([['CONFLICT'], ['CONFLICT']]);
    const proposals = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { deal(opportunityId: $id) { proposals { version status } } }`, { id: opportunityId }),
    ).deal.proposals;
    expect(proposals).toEqual([
      { version: 1, status: 'SUPERSEDED' },
      { version: 2, status: 'SENT' },
      { version: 3, status: 'DRAFT' },
    ]);
    expect(third.version).toBe(3);
  });

  it('holds at most 50 proposals per deal, so reading a deal stays bounded work', async () => {
    // Arrange: a deal that already holds 50 proposals
    const opportunityId = await arrangeOpportunity(subject);
    for (let index = 0; index < 50; index += 1) expectNoErrors(await subject.as(admin)(CREATE, { input: { opportunityId, lineItems: lines.slice(1) } }));

    // Act
    const refused = await subject.as(admin)(CREATE, { input: { opportunityId, lineItems: lines.slice(1) } });

    // Assert
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].message).toMatch(/at most 50 proposals/);
    const deal = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { deal(opportunityId: $id) { proposals { id } } }`, { id: opportunityId })).deal;
    expect(deal.proposals).toHaveLength(50);
  });

  it('publishes proposal.sent, the fact that moves the opportunity to its proposal stage', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.dealEvents}`]);
    await reader.start();
    const opportunityId = await arrangeOpportunity(subject);
    const proposal = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines } })).createProposal.proposal;

    // Act
    expectNoErrors(await subject.as(admin)(SEND, { input: { proposalId: proposal.id } }));

    // Assert
    const events = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ message }) => message.key === opportunityId);
        return mine.length === 2 ? mine.map(({ event }) => event) : null;
      },
      { what: 'proposal.created and proposal.sent' },
    );
    await reader.stop();
    expect(events.map((event) => event.type)).toEqual(['sales.proposal.created.v1', 'sales.proposal.sent.v1']);
    expect(events[1].data).toMatchObject({ opportunityId, proposalId: proposal.id, proposalVersion: 1, total: { amount: '3599.90', currency: 'EUR' } });
  });

  it('records the prospect accepting or rejecting a sent proposal, with the reason', async () => {
    const opportunityId = await arrangeOpportunity(subject);
    const proposal = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines } })).createProposal.proposal;
    const decideDraft = await subject.as(admin)(`mutation($input: DecideProposalInput!) { decideProposal(input: $input) { proposal { status } } }`, {
      input: { proposalId: proposal.id, accepted: true },
    });
    expectNoErrors(await subject.as(admin)(SEND, { input: { proposalId: proposal.id } }));
    const noReason = await subject.as(admin)(`mutation($input: DecideProposalInput!) { decideProposal(input: $input) { proposal { status } } }`, {
      input: { proposalId: proposal.id, accepted: false },
    });
    const rejected = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: DecideProposalInput!) { decideProposal(input: $input) { proposal { status decisionReason decidedAt } } }`,
        {
          input: { proposalId: proposal.id, accepted: false, reason: 'Too expensive for year one' },
        },
      ),
    ).decideProposal.proposal;
    expect(errorCodes(decideDraft)).toEqual(['CONFLICT']);
    expect(noReason.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(rejected).toMatchObject({ status: 'REJECTED', decisionReason: 'Too expensive for year one' });
  });

  it('renders a proposal document tailored with the account and the need the lead stated', async () => {
    // Arrange
    const leadId = randomUUID();
    await publish(
      subject,
      TOPICS.leadEvents,
      'sales.lead.qualified.v1',
      leadId,
      leadQualifiedData(leadId, 2, { name: 'Peter <Gibbons>', need: 'Fewer TPS reports' }),
    );
    await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId])).length === 1, {
      what: 'lead snapshot',
    });
    const opportunityId = await arrangeOpportunity(subject, { leadId });
    expectNoErrors(await subject.as(admin)(CREATE, { input: { opportunityId, lineItems: lines, validUntil: '2030-06-30' } }));

    // Act
    const html = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { deal(opportunityId: $id) { proposals { documentHtml } } }`, { id: opportunityId }),
    ).deal.proposals[0].documentHtml;

    // Assert
    expect(html).toContain('<h1>Proposal for Initech</h1>');
    expect(html).toContain('Dear Peter &lt;Gibbons&gt;,');
    expect(html).toContain('Fewer TPS reports');
    expect(html).toContain('3599.90 EUR');
    expect(html).toContain('valid until 2030-06-30');
  });

  it('greets the person of a sealed lead by name, opened through the lead service, and no one once the person was erased', async () => {
    // Arrange: lead events as the lead service publishes them since people are sealed (plain name blanked)
    const tag = randomUUID().slice(0, 8);
    const documentOf = async (leadId: string): Promise<string> => {
      const data = leadQualifiedData(leadId, 2, { name: '', need: 'Fewer TPS reports' });
      const personal = await owner.seal(leadId, { name: `Joanna ${tag}`, email: null, phone: null, sourceDetail: null });
      await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, { ...data, lead: { ...data.lead, personal } });
      await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId])).length === 1, {
        what: 'sealed lead snapshot',
      });
      const opportunityId = await arrangeOpportunity(subject, { leadId });
      expectNoErrors(await subject.as(admin)(CREATE, { input: { opportunityId, lineItems: lines, validUntil: '2030-06-30' } }));
      return opportunityId;
    };
    const erasedLead = randomUUID();
    const [named, erased] = [await documentOf(randomUUID()), await documentOf(erasedLead)];
    await owner.erase(erasedLead);

    // Act
    const html = async (opportunityId: string): Promise<string> =>
      expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { deal(opportunityId: $id) { proposals { documentHtml } } }`, { id: opportunityId })).deal
        .proposals[0].documentHtml;
    const [namedHtml, erasedHtml] = [await html(named), await html(erased)];

    // Assert
    expect(namedHtml).toContain(`Dear Joanna ${tag},`);
    expect(erasedHtml).toContain('<p>Hello,</p>');
    expect(erasedHtml).not.toContain(tag);
  });

  it('lets only the owner, their manager and admins work the deal; analysts and others cannot', async () => {
    // Arrange
    const owner = randomUUID();
    await publishRep(subject, owner, 'west');
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const create = (actor: Actor) => subject.as(actor)<any>(CREATE, { input: { opportunityId, lineItems: lines } });

    // Act
    const byOtherRep = await create(repActor(randomUUID(), 'west'));
    const byOtherTeamsManager = await create(managerActor('east'));
    const byAnalyst = await create(analystActor());
    const byOwner = await create(repActor(owner, 'west'));
    const byManager = await create(managerActor('west'));
    const byAdmin = await create(admin);

    // Assert
    expect([byOtherRep, byOtherTeamsManager, byAnalyst].map(errorCodes)).toEqual([['NOT_FOUND'], ['NOT_FOUND'], ['FORBIDDEN']]);
    expect([byOwner, byManager, byAdmin].map((response) => expectNoErrors(response).createProposal.proposal.version)).toEqual([1, 2, 3]);
  });

  it('locks the deal before the proposal when sending, the order createProposal locks them in, so the two queue instead of deadlocking', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject);
    const proposal = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { opportunityId, lineItems: lines } })).createProposal.proposal;
    const dealLock = await holdDealLock(subject, opportunityId);

    // Act
    const sending = subject.as(admin)<any>(SEND, { input: { proposalId: proposal.id } });
    const proposalLock = await waitFor(async () => (await dealLock.waiters()) >= 1, { what: 'sendProposal to wait for the deal lock' })
      .then(() => rowLockState(subject, 'proposal', proposal.id))
      .finally(() => dealLock.release());
    const sent = await sending;

    // Assert
    expect(proposalLock).toBe('FREE');
    expect(expectNoErrors(sent).sendProposal.proposal.status).toBe('SENT');
  });
});

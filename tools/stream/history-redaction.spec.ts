import { planHistoryRedaction } from './history-redaction';

const noLead = () => undefined;

describe('planHistoryRedaction', () => {
  it('takes a lead snapshot’s name, email and source detail out, to be sealed with the lead’s key in the lead service', () => {
    // Arrange
    const event = {
      type: 'sales.lead.created.v1',
      data: { leadId: 'l1', version: 1, lead: { name: 'Ada Lovelace', email: 'ada@example.com', sourceDetail: 'met Ada', company: 'Acme' } },
    };

    // Act
    const redaction = planHistoryRedaction('sales.lead-events.v1', event, noLead);

    // Assert
    expect(redaction).toEqual({
      owner: 'lead',
      subjectId: 'l1',
      path: ['lead'],
      fields: { name: 'Ada Lovelace', email: 'ada@example.com', sourceDetail: 'met Ada' },
      data: { leadId: 'l1', version: 1, lead: { name: '', email: null, sourceDetail: null, company: 'Acme' } },
    });
  });

  it('replaces the person in a lead’s stated need and archive reason and seals what was typed, as the lead service does now', () => {
    // Arrange
    const event = {
      type: 'sales.lead.archived.v1',
      data: {
        leadId: 'l1',
        reason: 'Ada Lovelace left Acme',
        lead: { name: 'Ada Lovelace', email: 'ada@example.com', need: 'Ada wants a CRM', sourceDetail: null },
      },
    };

    // Act
    const redaction = planHistoryRedaction('sales.lead-events.v1', event, noLead);

    // Assert
    expect(redaction?.data).toMatchObject({ reason: '[person] left Acme', lead: { name: '', email: null, need: '[person] wants a CRM' } });
    expect(redaction?.fields).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      sourceDetail: null,
      need: 'Ada wants a CRM',
      reason: 'Ada Lovelace left Acme',
    });
  });

  it('leaves a lead event that is already sealed, or names no one, as it is', () => {
    // Arrange
    const sealed = { type: 'sales.lead.created.v1', data: { leadId: 'l1', lead: { name: '', email: null, personal: { alg: 'AES-256-GCM' } } } };
    const blank = { type: 'sales.lead.erased.v1', data: { leadId: 'l1', erasedAt: '2026-12-01T00:00:00.000Z' } };

    // Act
    const redactions = [sealed, blank].map((event) => planHistoryRedaction('sales.lead-events.v1', event, noLead));

    // Assert
    expect(redactions).toEqual([null, null]);
  });

  it('seals a commitment’s contact name with the key of the opportunity’s lead in the deal service, or the deal’s without a lead', () => {
    // Arrange
    const commitment = (opportunityId: string) => ({
      type: 'sales.deal.commitment_recorded.v1',
      data: { opportunityId, dealId: 'd1', contactName: 'Ada Lovelace', type: 'VERBAL' },
    });
    const leadOf = (id: string) => (id === 'o1' ? 'l1' : undefined);

    // Act
    const fromLead = planHistoryRedaction('sales.deal-events.v1', commitment('o1'), leadOf);
    const withoutLead = planHistoryRedaction('sales.deal-events.v1', commitment('o2'), leadOf);

    // Assert
    expect(fromLead).toMatchObject({ owner: 'deal', subjectId: 'l1', path: [], fields: { contactName: 'Ada Lovelace' }, data: { contactName: '' } });
    expect(withoutLead).toMatchObject({ owner: 'deal', subjectId: 'd1' });
  });

  it('seals the title and cancel reason of a task on a lead, not of a task on an opportunity only', () => {
    // Arrange
    const cancelled = { type: 'sales.task.cancelled.v1', data: { taskId: 't1', leadId: 'l1', title: 'Call Ada', reason: 'Ada moved' } };
    const onOpportunity = { type: 'sales.task.created.v1', data: { taskId: 't2', leadId: null, opportunityId: 'o1', title: 'Send terms' } };

    // Act
    const lead = planHistoryRedaction('sales.task-events.v1', cancelled, noLead);
    const opportunity = planHistoryRedaction('sales.task-events.v1', onOpportunity, noLead);

    // Assert
    expect(lead).toMatchObject({ owner: 'engagement', subjectId: 'l1', fields: { title: 'Call Ada', reason: 'Ada moved' }, data: { title: '', reason: null } });
    expect(opportunity).toBeNull();
  });

  it('redacts nothing on topics that never carried a lead’s person', () => {
    // Arrange
    const stageChanged = { type: 'sales.opportunity.stage_changed.v1', data: { opportunityId: 'o1', lead: { name: 'Ada' } } };

    // Act
    const redaction = planHistoryRedaction('sales.stage-changed.v1', stageChanged, noLead);

    // Assert
    expect(redaction).toBeNull();
  });
});

import { randomUUID } from 'node:crypto';

import { createCloudEvent, parseCloudEvent, validateCloudEvent } from './cloud-event';
import { EVENT_TYPES } from './schemas';

const stageChanged = () =>
  createCloudEvent({
    type: EVENT_TYPES.stageChanged,
    source: '/sales/opportunity-subgraph',
    subject: 'b0c3cb3c-1a1f-4a43-9b0e-0a3b8d1c9f10',
    data: {
      opportunityId: 'b0c3cb3c-1a1f-4a43-9b0e-0a3b8d1c9f10',
      pipelineId: '00000000-0000-4000-8000-000000000001',
      fromStage: 'PROPOSAL',
      toStage: 'NEGOTIATION',
      toStageCategory: 'OPEN',
      changedAt: '2026-11-26T10:00:00.000Z',
      changedBy: randomUUID(),
      reason: null,
      version: 4,
      previousStageEnteredAt: '2026-11-20T09:00:00.000Z',
      opportunity: {
        name: 'Renewal',
        accountName: 'Acme',
        industry: 'Software',
        amount: { amount: '12500.00', currency: 'EUR' },
        probability: 0.6,
        ownerId: randomUUID(),
        leadId: null,
        leadSource: 'REFERRAL',
        expectedCloseDate: '2027-01-31',
        createdAt: '2026-11-01T08:00:00.000Z',
      },
    },
  });

describe('CloudEvents envelope and schemas', () => {
  it('accepts the contract example of a stage change', () => {
    const event = stageChanged();
    expect(validateCloudEvent(event)).toEqual([]);
    expect(parseCloudEvent(Buffer.from(JSON.stringify(event)))).toMatchObject({ ok: true, event: { type: 'sales.opportunity.stage_changed.v1' } });
  });

  it.each([
    ['invalid JSON', '{"type": ', /invalid JSON/],
    ['an unknown type', JSON.stringify({ ...stageChanged(), type: 'sales.unknown.v1' }), /unknown event type/],
    [
      'a float amount',
      JSON.stringify({
        ...stageChanged(),
        data: { ...stageChanged().data, opportunity: { ...stageChanged().data.opportunity, amount: { amount: 12500, currency: 'EUR' } } },
      }),
      /schema violation/,
    ],
    ['a missing version', JSON.stringify({ ...stageChanged(), data: { ...stageChanged().data, version: undefined } }), /schema violation.*version/],
    ['a wrong stage category', JSON.stringify({ ...stageChanged(), data: { ...stageChanged().data, toStageCategory: 'DONE' } }), /schema violation/],
  ])('refuses %s with a reason', (_label, raw, reason) => {
    const parsed = parseCloudEvent(Buffer.from(raw));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});

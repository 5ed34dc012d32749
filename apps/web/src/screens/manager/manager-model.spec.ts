import { pendingApprovals } from './manager-model';

describe('approvals queue', () => {
  it('lists only pending approvals, the longest waiting first', () => {
    const opportunities = [
      {
        id: 'o1',
        name: 'A',
        deal: {
          approvals: [
            { id: 'x', status: 'APPROVED', requestedAt: '2026-11-01T00:00:00Z' },
            { id: 'y', status: 'PENDING', requestedAt: '2026-11-20T00:00:00Z' },
          ],
        },
      },
      { id: 'o2', name: 'B', deal: null },
      { id: 'o3', name: 'C', deal: { approvals: [{ id: 'z', status: 'PENDING', requestedAt: '2026-11-10T00:00:00Z' }] } },
    ];
    expect(pendingApprovals(opportunities).map(({ opportunity, approval }) => [opportunity.id, approval.id])).toEqual([
      ['o3', 'z'],
      ['o1', 'y'],
    ]);
  });
});

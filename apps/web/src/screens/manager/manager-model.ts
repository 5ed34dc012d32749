// Pending approvals out of the open opportunities' deals, oldest request first (the longest wait is decided first).
export interface ApprovalSource {
  id: string;
  name: string;
  deal: { approvals: Array<{ id: string; status: string; requestedAt: string }> } | null;
}

export function pendingApprovals<T extends ApprovalSource>(
  opportunities: T[],
): Array<{ opportunity: T; approval: NonNullable<T['deal']>['approvals'][number] }> {
  return opportunities
    .flatMap((opportunity) =>
      (opportunity.deal?.approvals ?? []).filter((approval) => approval.status === 'PENDING').map((approval) => ({ opportunity, approval })),
    )
    .sort((a, b) => a.approval.requestedAt.localeCompare(b.approval.requestedAt));
}

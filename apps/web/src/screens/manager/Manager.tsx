import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatAgo, formatDateTime, formatDays, formatMoney, formatPercent, humanize } from '../../app/format';
import { canDecideDiscount } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { ActivityCoaching } from './ActivityCoaching';
import { pendingApprovals } from './manager-model';
import { ApprovalsQuery, DecideApprovalMutation, TeamQuery } from './manager-operations';

export default function Manager() {
  const identity = useIdentity();
  // Two queries: together they would pass the gateway's cost limit.
  const [approvals, reload] = useQuery({ query: ApprovalsQuery });
  const [result] = useQuery({ query: TeamQuery, variables: { teamId: identity.teamId } });
  const [decision, decide] = useMutation(DecideApprovalMutation);
  const [done, setDone] = useState<string | null>(null);
  const reps = new Map((result.data?.salesReps ?? []).map((rep) => [rep.id, rep.name]));
  const queue = pendingApprovals(approvals.data?.approvals.edges.map((edge) => edge.node) ?? []);
  const failure = failureOf(decision.error);

  const onDecide = async (approvalId: string, approve: boolean, name: string) => {
    setDone(null);
    const outcome = await decide({ input: { approvalId, approve } });
    if (!outcome.error) {
      setDone(`${approve ? 'Approved' : 'Rejected'} the discount on ${name}.`);
      reload({ requestPolicy: 'network-only' });
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Manager</h1>
        <p className="muted">{identity.teamId ? `Team ${identity.teamId}` : 'All teams'}</p>
      </div>
      {(approvals.error ?? result.error) && (
        <p role="alert" className="error">
          {failureOf(approvals.error ?? result.error)?.message}
        </p>
      )}
      <div aria-live="polite">
        {done && (
          <p className="ok" role="status">
            {done}
          </p>
        )}
        {failure && (
          <p className="error" role="alert">
            {failure.message}
          </p>
        )}
      </div>
      <section className="panel" aria-labelledby="approvals-heading">
        <h2 id="approvals-heading">Discount approvals ({queue.length})</h2>
        <table data-testid="approvals">
          <thead>
            <tr>
              <th scope="col">Opportunity</th>
              <th scope="col">Owner</th>
              <th scope="col">Amount</th>
              <th scope="col">Discount</th>
              <th scope="col">Terms</th>
              <th scope="col">Requested</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {queue.map(({ opportunity, approval }) => (
              <tr key={approval.id} data-approval-id={approval.id}>
                <th scope="row">
                  <Link to={`/opportunities/${opportunity.id}`}>{opportunity.name}</Link>
                  <div className="muted">{opportunity.accountName}</div>
                </th>
                <td>{opportunity.owner?.name ?? 'Unassigned'}</td>
                <td>{formatMoney(opportunity.amount)}</td>
                <td>{approval.requestedPercent}%</td>
                <td>
                  {approval.paymentTermsDays} days · {approval.contractLengthMonths} months
                </td>
                <td>{formatDateTime(approval.requestedAt)}</td>
                <td>
                  {canDecideDiscount(identity, { ownerId: opportunity.owner?.id ?? null, ownerTeamId: opportunity.owner?.teamId ?? null }) ? (
                    <span className="button-row">
                      <button
                        type="button"
                        onClick={() => void onDecide(approval.id, true, opportunity.name)}
                        aria-label={`Approve ${approval.requestedPercent}% on ${opportunity.name}`}
                      >
                        Approve
                      </button>
                      <button
                        type="button"
                        onClick={() => void onDecide(approval.id, false, opportunity.name)}
                        aria-label={`Reject ${approval.requestedPercent}% on ${opportunity.name}`}
                      >
                        Reject
                      </button>
                    </span>
                  ) : (
                    <span className="muted">Not yours to decide</span>
                  )}
                </td>
              </tr>
            ))}
            {queue.length === 0 && !approvals.fetching && (
              <tr>
                <td colSpan={7} className="muted">
                  Nothing waits for a decision.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <div className="two-columns">
        <section className="panel" aria-labelledby="stalled-heading">
          <h2 id="stalled-heading">Stalled deals ({result.data?.stalled.totalCount ?? 0})</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Opportunity</th>
                <th scope="col">Stage</th>
                <th scope="col">In stage</th>
                <th scope="col">Last activity</th>
                <th scope="col">Owner</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {(result.data?.stalled.edges ?? []).map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row">
                    <Link to={`/opportunities/${node.id}`}>{node.name}</Link>
                  </th>
                  <td>{node.stage.name}</td>
                  <td>{formatDays(node.daysInStage)}</td>
                  <td>{formatAgo(node.lastActivityAt)}</td>
                  <td>{node.owner?.name ?? 'Unassigned'}</td>
                  <td>{formatMoney(node.amount)}</td>
                </tr>
              ))}
              {result.data?.stalled.totalCount === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No stalled deals.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="coaching-heading">
          <h2 id="coaching-heading">Coaching insights</h2>
          <p className="muted">Where each rep&apos;s stage conversion differs most from the team&apos;s.</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Rep</th>
                <th scope="col">Step</th>
                <th scope="col">Rep</th>
                <th scope="col">Team</th>
                <th scope="col">Gap</th>
                <th scope="col">Sample</th>
              </tr>
            </thead>
            <tbody>
              {(result.data?.coachingInsights ?? []).slice(0, 20).map((row) => (
                <tr key={`${row.ownerId}-${row.fromStage}-${row.toStage}`}>
                  <th scope="row">{reps.get(row.ownerId) ?? row.ownerId}</th>
                  <td>
                    {humanize(row.fromStage)} → {humanize(row.toStage)}
                  </td>
                  <td>{formatPercent(row.repRate)}</td>
                  <td>{formatPercent(row.teamRate)}</td>
                  <td className={row.difference < 0 ? 'minus' : 'plus'}>
                    {row.difference >= 0 ? '+' : ''}
                    {(row.difference * 100).toFixed(1)} pts
                  </td>
                  <td>{row.repSample}</td>
                </tr>
              ))}
              {(result.data?.coachingInsights ?? []).length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    Not enough closed history yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </div>
      <ActivityCoaching />
    </>
  );
}

import { type FormEvent, useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type AnyVariables, type OperationResult, useMutation, useQuery } from 'urql';

import { failureOf, type OperationFailure } from '../../app/client';
import { formatAgo, formatDate, formatDateTime, formatDays, formatMoney, humanize } from '../../app/format';
import { useOpportunityChanges } from '../../app/live';
import { canDecideDiscount, canReopenDeals, canWork } from '../../app/permissions';
import { useIdentity, useSession } from '../../app/session';
import { RecordTasks } from '../work/RecordTasks';
import {
  CloseDealMutation,
  CreateProposalMutation,
  DecideDiscountMutation,
  DecideProposalMutation,
  LogActivityMutation,
  MoveStageMutation,
  OpportunityQuery,
  RecordCommitmentMutation,
  ReopenDealMutation,
  SendProposalMutation,
  SetTermsMutation,
} from './opportunity-operations';
import { type DraftLine, emptyLine, lineItemInputs, proposalPreviewTotal } from './proposal-model';

const LOST_REASONS = ['PRICE', 'COMPETITOR', 'NO_DECISION', 'TIMING', 'PRODUCT_FIT', 'OTHER'] as const;
const formValue = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export default function OpportunityPage() {
  const { opportunityId = '' } = useParams();
  const { session, config } = useSession();
  const identity = useIdentity();
  const [result, reload] = useQuery({ query: OpportunityQuery, variables: { id: opportunityId } });
  const [failure, setFailure] = useState<OperationFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [lines, setLines] = useState<DraftLine[]>([emptyLine()]);
  const [outcome, setOutcome] = useState<'WON' | 'LOST' | 'DEFERRED'>('WON');
  const [, moveStage] = useMutation(MoveStageMutation);
  const [, logActivity] = useMutation(LogActivityMutation);
  const [, createProposal] = useMutation(CreateProposalMutation);
  const [, sendProposal] = useMutation(SendProposalMutation);
  const [, decideProposal] = useMutation(DecideProposalMutation);
  const [, setTerms] = useMutation(SetTermsMutation);
  const [, recordCommitment] = useMutation(RecordCommitmentMutation);
  const [, closeDeal] = useMutation(CloseDealMutation);
  const [, reopenDeal] = useMutation(ReopenDealMutation);
  const [, decideDiscount] = useMutation(DecideDiscountMutation);
  const reloadFromNetwork = useCallback(() => reload({ requestPolicy: 'network-only' }), [reload]);
  // Closing a deal moves the stage by event a moment later; the page follows without a reload.
  useOpportunityChanges(session?.token ?? null, config.liveUpdates, (change) => {
    if (!change || change.opportunityId === opportunityId) reloadFromNetwork();
  });

  const opportunity = result.data?.opportunity;
  const settings = result.data?.dealSettings;
  if (result.error && !opportunity)
    return (
      <p role="alert" className="error">
        {failureOf(result.error)?.message}
      </p>
    );
  if (!opportunity || !settings)
    return <p aria-busy={result.fetching}>{result.fetching ? 'Loading…' : 'This opportunity does not exist or is not yours to see.'}</p>;
  const owned = { ownerId: opportunity.owner?.id ?? null, ownerTeamId: opportunity.owner?.teamId ?? null };
  const writable = canWork(identity, owned);
  const open = opportunity.status === 'OPEN';
  const deal = opportunity.deal;
  const closed = deal?.outcome === 'WON' || deal?.outcome === 'LOST';
  const stageName = (key: string | null) => (key === null ? 'created' : (opportunity.pipeline.stages.find((stage) => stage.key === key)?.name ?? key));
  const criteriaWords = new Map(
    opportunity.pipeline.stages.flatMap((stage) => stage.entryCriteria.map((criterion) => [criterion.key, criterion.description] as const)),
  );
  const currency = opportunity.amount?.currency ?? 'EUR';

  // Every action: run it, say what happened, re-read the page.
  const run = async <T,>(action: () => Promise<OperationResult<T, AnyVariables>>, success: string) => {
    setFailure(null);
    setDone(null);
    const outcome = await action();
    const problem = failureOf(outcome.error);
    if (problem) {
      setFailure(problem);
      if (problem.code === 'CONFLICT') reloadFromNetwork();
      return false;
    }
    setDone(success);
    reloadFromNetwork();
    return true;
  };

  const onMove = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const toStage = formValue(new FormData(event.currentTarget), 'toStage');
    void run(() => moveStage({ input: { opportunityId: opportunity.id, toStage, expectedVersion: opportunity.version } }), `Moved to ${stageName(toStage)}.`);
  };
  const onLog = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    void run(
      () =>
        logActivity({
          input: {
            opportunityId: opportunity.id,
            type: formValue(form, 'type') as 'CALL',
            subject: formValue(form, 'subject'),
            notes: formValue(form, 'notes') || null,
          },
        }),
      'Activity logged.',
    ).then((ok) => ok && element.reset());
  };
  const onPropose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const validUntil = formValue(new FormData(event.currentTarget), 'validUntil');
    void run(
      () => createProposal({ input: { opportunityId: opportunity.id, lineItems: lineItemInputs(lines, currency), validUntil: validUntil || null } }),
      'Proposal drafted.',
    ).then((ok) => ok && setLines([emptyLine()]));
  };
  const onTerms = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(
      () =>
        setTerms({
          input: {
            opportunityId: opportunity.id,
            discountPercent: Number(formValue(form, 'discount')),
            paymentTermsDays: Number(formValue(form, 'paymentDays')),
            contractLengthMonths: Number(formValue(form, 'contractMonths')),
          },
        }),
      'Terms saved.',
    );
  };
  const onCommit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(
      () =>
        recordCommitment({
          input: {
            opportunityId: opportunity.id,
            type: formValue(form, 'type') as 'VERBAL',
            contactName: formValue(form, 'contactName'),
            notes: formValue(form, 'notes') || null,
          },
        }),
      'Commitment recorded.',
    );
  };
  const onClose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(
      () =>
        closeDeal({
          input: {
            opportunityId: opportunity.id,
            outcome,
            lostReason: outcome === 'LOST' ? (formValue(form, 'lostReason') as 'PRICE') : null,
            deferredUntil: outcome === 'DEFERRED' ? formValue(form, 'deferredUntil') : null,
            competitor: outcome === 'LOST' ? formValue(form, 'competitor') || null : null,
            note: formValue(form, 'note') || null,
          },
        }),
      outcome === 'DEFERRED' ? 'Deal deferred.' : `Deal closed ${outcome.toLowerCase()}. The stage follows in a moment.`,
    );
  };
  const onReopen = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(() => reopenDeal({ input: { opportunityId: opportunity.id, reason: formValue(new FormData(event.currentTarget), 'reason') } }), 'Deal reopened.');
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/board">Board</Link> / {opportunity.name}
      </p>
      <div className="page-head">
        <h1>{opportunity.name}</h1>
        <p>
          <span className={`badge badge-${opportunity.status.toLowerCase()}`} data-testid="opportunity-stage">
            {opportunity.stage.name}
          </span>
          {opportunity.stalled && <span className="badge badge-warn">Stalled</span>}
        </p>
      </div>
      <dl className="facts">
        <div>
          <dt>Account</dt>
          <dd>{opportunity.accountName}</dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>{formatMoney(opportunity.amount)}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{opportunity.owner?.name ?? 'Unassigned'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="opportunity-status">{humanize(opportunity.status)}</dd>
        </div>
        <div>
          <dt>Expected close</dt>
          <dd>{formatDate(opportunity.expectedCloseDate)}</dd>
        </div>
        <div>
          <dt>In stage</dt>
          <dd>{formatDays(opportunity.daysInStage)}</dd>
        </div>
        <div>
          <dt>Last activity</dt>
          <dd>{formatAgo(opportunity.lastActivityAt)}</dd>
        </div>
        <div>
          <dt>Probability</dt>
          <dd>{Math.round(opportunity.probability * 100)}%</dd>
        </div>
      </dl>
      <div aria-live="polite">
        {done && (
          <p className="ok" role="status">
            {done}
          </p>
        )}
        {failure && (
          <div className="refusal" role="alert" data-testid="action-error">
            <p>{failure.message}</p>
            {failure.unmetCriteria.length > 0 && (
              <ul>
                {failure.unmetCriteria.map((key) => (
                  <li key={key} data-criterion={key}>
                    {criteriaWords.get(key) ?? key}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>

      <div className="two-columns">
        <div>
          <section className="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Stage timeline</h2>
            {writable && open && (
              <form className="inline-form" onSubmit={onMove} aria-label="Move stage">
                <label>
                  Move to
                  <select name="toStage" defaultValue="">
                    <option value="" disabled>
                      Choose a stage
                    </option>
                    {opportunity.pipeline.stages
                      .filter((stage) => stage.key !== opportunity.stage.key && stage.category === 'OPEN')
                      .map((stage) => (
                        <option key={stage.key} value={stage.key}>
                          {stage.name}
                        </option>
                      ))}
                  </select>
                </label>
                <button type="submit">Move</button>
              </form>
            )}
            <ol className="timeline">
              {opportunity.stageHistory.map((entry) => (
                <li key={entry.version}>
                  <strong>{stageName(entry.toStage)}</strong> <span className="muted">{formatDateTime(entry.changedAt)}</span>
                  {entry.fromStage && (
                    <div className="muted">
                      from {stageName(entry.fromStage)} after {formatDays((entry.timeInPreviousStageSeconds ?? 0) / 86_400)}
                      {entry.reason ? ` · ${entry.reason}` : ''}
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </section>

          <section className="panel" aria-labelledby="activities-heading">
            <h2 id="activities-heading">Activities</h2>
            {writable && (
              <form className="form-grid" onSubmit={onLog} aria-label="Log an activity">
                <label>
                  Type
                  <select name="type" defaultValue="CALL">
                    <option value="CALL">Call</option>
                    <option value="EMAIL">Email</option>
                    <option value="MEETING">Meeting</option>
                  </select>
                </label>
                <label>
                  Subject
                  <input name="subject" required maxLength={200} />
                </label>
                <label className="wide">
                  Notes
                  <textarea name="notes" rows={2} />
                </label>
                <button type="submit">Log activity</button>
              </form>
            )}
            <ul className="activities">
              {opportunity.activities.map((activity) => (
                <li key={activity.id}>
                  <span className="badge">{humanize(activity.type)}</span> {activity.subject}{' '}
                  <span className="muted">{formatDateTime(activity.occurredAt)}</span>
                  {activity.notes && <div className="muted">{activity.notes}</div>}
                </li>
              ))}
              {opportunity.activities.length === 0 && <li className="muted">No activities yet.</li>}
            </ul>
          </section>

          <RecordTasks kind="opportunity" record={opportunity} open={open} headingLevel={2} />
        </div>

        <div>
          <section className="panel" aria-labelledby="proposals-heading">
            <h2 id="proposals-heading">Proposals</h2>
            {(deal?.proposals ?? []).map((proposal) => (
              <article key={proposal.id} className="proposal" aria-label={`Proposal version ${proposal.version}`}>
                <h3>
                  Version {proposal.version} <span className={`badge badge-${proposal.status.toLowerCase()}`}>{humanize(proposal.status)}</span>
                </h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Item</th>
                      <th scope="col">Qty</th>
                      <th scope="col">Unit price</th>
                      <th scope="col">Discount</th>
                      <th scope="col">Total</th>
                    </tr>
                  </thead>
                  <tbody>
                    {proposal.lineItems.map((item, index) => (
                      <tr key={index}>
                        <td>{item.description}</td>
                        <td>{item.quantity}</td>
                        <td>{formatMoney(item.unitPrice)}</td>
                        <td>{item.discountPercent}%</td>
                        <td>{formatMoney(item.total)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colSpan={4}>
                        Subtotal
                      </th>
                      <td>{formatMoney(proposal.subtotal)}</td>
                    </tr>
                    <tr>
                      <th scope="row" colSpan={4}>
                        Total
                      </th>
                      <td data-testid="proposal-total">{formatMoney(proposal.total)}</td>
                    </tr>
                  </tfoot>
                </table>
                <p className="muted">
                  {proposal.sentAt ? `Sent ${formatDateTime(proposal.sentAt)}` : 'Not sent'}
                  {proposal.validUntil ? ` · valid until ${formatDate(proposal.validUntil)}` : ''}
                </p>
                {writable && open && proposal.status === 'DRAFT' && (
                  <button type="button" onClick={() => void run(() => sendProposal({ input: { proposalId: proposal.id } }), 'Proposal sent.')}>
                    Send proposal
                  </button>
                )}
                {writable && open && proposal.status === 'SENT' && (
                  <div className="button-row">
                    <button
                      type="button"
                      onClick={() => void run(() => decideProposal({ input: { proposalId: proposal.id, accepted: true } }), 'Proposal accepted.')}
                    >
                      Prospect accepted
                    </button>
                    <button
                      type="button"
                      onClick={() => void run(() => decideProposal({ input: { proposalId: proposal.id, accepted: false } }), 'Proposal rejected.')}
                    >
                      Prospect rejected
                    </button>
                  </div>
                )}
              </article>
            ))}
            {writable && open && !closed && (
              <form onSubmit={onPropose} aria-label="New proposal" className="proposal-form">
                <h3>New proposal</h3>
                {lines.map((line, index) => (
                  <fieldset key={line.key} className="line-item">
                    <legend>Line {index + 1}</legend>
                    <label>
                      Description
                      <input
                        required
                        value={line.description}
                        onChange={(event) => setLines(lines.map((other) => (other.key === line.key ? { ...other, description: event.target.value } : other)))}
                      />
                    </label>
                    <label>
                      Quantity
                      <input
                        required
                        inputMode="numeric"
                        value={line.quantity}
                        onChange={(event) => setLines(lines.map((other) => (other.key === line.key ? { ...other, quantity: event.target.value } : other)))}
                      />
                    </label>
                    <label>
                      Unit price ({currency})
                      <input
                        required
                        inputMode="decimal"
                        value={line.unitPrice}
                        onChange={(event) => setLines(lines.map((other) => (other.key === line.key ? { ...other, unitPrice: event.target.value } : other)))}
                      />
                    </label>
                    <label>
                      Discount %
                      <input
                        inputMode="decimal"
                        value={line.discountPercent}
                        onChange={(event) =>
                          setLines(lines.map((other) => (other.key === line.key ? { ...other, discountPercent: event.target.value } : other)))
                        }
                      />
                    </label>
                  </fieldset>
                ))}
                <p className="muted">Preview total: {proposalPreviewTotal(lines, currency)} (the deal service computes the exact total)</p>
                <div className="button-row">
                  <button type="button" onClick={() => setLines([...lines, emptyLine()])}>
                    Add line
                  </button>
                  <label>
                    Valid until
                    <input type="date" name="validUntil" />
                  </label>
                  <button type="submit" className="primary">
                    Draft proposal
                  </button>
                </div>
              </form>
            )}
          </section>

          <section className="panel" aria-labelledby="terms-heading">
            <h2 id="terms-heading">Terms and approval</h2>
            {deal?.terms ? (
              <p data-testid="terms">
                Agreed: {deal.terms.discountPercent}% discount, payment in {deal.terms.paymentTermsDays} days, {deal.terms.contractLengthMonths} months.
              </p>
            ) : (
              <p className="muted">No terms agreed yet.</p>
            )}
            {deal?.pendingTerms && (
              <p>
                Waiting for approval: {deal.pendingTerms.discountPercent}% discount, {deal.pendingTerms.paymentTermsDays} days,{' '}
                {deal.pendingTerms.contractLengthMonths} months.
              </p>
            )}
            <ul className="approvals">
              {(deal?.approvals ?? []).map((approval) => (
                <li key={approval.id} data-approval-status={approval.status}>
                  Discount {approval.requestedPercent}%: <strong>{humanize(approval.status)}</strong>{' '}
                  <span className="muted">{formatDateTime(approval.decidedAt ?? approval.requestedAt)}</span>
                  {approval.note && <span className="muted"> · {approval.note}</span>}
                  {approval.status === 'PENDING' && open && canDecideDiscount(identity, owned) && (
                    <span className="button-row">
                      <button
                        type="button"
                        onClick={() => void run(() => decideDiscount({ input: { approvalId: approval.id, approve: true } }), 'Discount approved.')}
                      >
                        Approve
                      </button>
                      <button
                        type="button"
                        onClick={() => void run(() => decideDiscount({ input: { approvalId: approval.id, approve: false } }), 'Discount rejected.')}
                      >
                        Reject
                      </button>
                    </span>
                  )}
                </li>
              ))}
            </ul>
            {writable && open && !closed && (
              <form className="form-grid" onSubmit={onTerms} aria-label="Set terms">
                <label>
                  Discount %<input name="discount" inputMode="decimal" required defaultValue={deal?.terms?.discountPercent ?? 0} />
                </label>
                <label>
                  Payment days
                  <input name="paymentDays" inputMode="numeric" required defaultValue={deal?.terms?.paymentTermsDays ?? 30} />
                </label>
                <label>
                  Contract months
                  <input name="contractMonths" inputMode="numeric" required defaultValue={deal?.terms?.contractLengthMonths ?? 12} />
                </label>
                <button type="submit">Propose terms</button>
                <p className="muted wide">Discounts above {settings.discountApprovalThresholdPercent}% wait for a manager&apos;s approval.</p>
              </form>
            )}
          </section>

          <section className="panel" aria-labelledby="commitments-heading">
            <h2 id="commitments-heading">Commitments</h2>
            <ul>
              {(deal?.commitments ?? []).map((commitment, index) => (
                <li key={index}>
                  {humanize(commitment.type)} from {commitment.contactName} <span className="muted">{formatDateTime(commitment.committedAt)}</span>
                </li>
              ))}
              {(deal?.commitments ?? []).length === 0 && (
                <li className="muted">None yet{settings.requireWrittenCommitmentToWin ? ' (winning needs a written one)' : ''}.</li>
              )}
            </ul>
            {writable && open && !closed && (
              <form className="form-grid" onSubmit={onCommit} aria-label="Record a commitment">
                <label>
                  Type
                  <select name="type" defaultValue="VERBAL">
                    <option value="VERBAL">Verbal</option>
                    <option value="WRITTEN">Written</option>
                  </select>
                </label>
                <label>
                  Contact
                  <input name="contactName" required />
                </label>
                <label className="wide">
                  Notes
                  <input name="notes" />
                </label>
                <button type="submit">Record commitment</button>
              </form>
            )}
          </section>

          <section className="panel" aria-labelledby="close-heading">
            <h2 id="close-heading">Outcome</h2>
            {deal?.outcome ? (
              <p data-testid="deal-outcome">
                {humanize(deal.outcome)}
                {deal.lostReason ? ` (${humanize(deal.lostReason)})` : ''}
                {deal.closedAt ? ` on ${formatDate(deal.closedAt)}` : ''}
                {deal.deferredUntil ? ` until ${formatDate(deal.deferredUntil)}` : ''}
                {deal.closeNote ? ` · ${deal.closeNote}` : ''}
              </p>
            ) : (
              <p className="muted">Open.</p>
            )}
            {writable && open && !closed && (
              <form onSubmit={onClose} aria-label="Close the deal" className="form-grid">
                <fieldset className="wide">
                  <legend>Outcome</legend>
                  {(['WON', 'LOST', 'DEFERRED'] as const).map((value) => (
                    <label key={value} className="checkbox">
                      <input type="radio" name="outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} /> {humanize(value)}
                    </label>
                  ))}
                </fieldset>
                {outcome === 'LOST' && (
                  <>
                    <label>
                      Reason
                      <select name="lostReason" required defaultValue="">
                        <option value="" disabled>
                          Choose a reason
                        </option>
                        {LOST_REASONS.map((reason) => (
                          <option key={reason} value={reason}>
                            {humanize(reason)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Competitor
                      <input name="competitor" />
                    </label>
                  </>
                )}
                {outcome === 'DEFERRED' && (
                  <label>
                    Until
                    <input type="date" name="deferredUntil" required />
                  </label>
                )}
                <label className="wide">
                  Note
                  <input name="note" />
                </label>
                <button type="submit" className="primary">
                  {outcome === 'WON' ? 'Close as won' : outcome === 'LOST' ? 'Close as lost' : 'Defer'}
                </button>
              </form>
            )}
            {closed && canReopenDeals(identity, owned) && (
              <form className="inline-form" onSubmit={onReopen} aria-label="Reopen the deal">
                <label>
                  Reason
                  <input name="reason" required />
                </label>
                <button type="submit">Reopen</button>
              </form>
            )}
          </section>
        </div>
      </div>
    </>
  );
}

import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatDateTime, formatMoney, humanize } from '../../app/format';
import { canAssignLeads, canWork } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { RecordTasks } from '../work/RecordTasks';
import { withNames } from '../work/work-model';
import { bantWords } from './lead-model';
import { AssignLeadMutation, ConvertLeadMutation, LeadDetailQuery, QualifyLeadMutation } from './lead-operations';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function LeadDetail({ leadId }: { leadId: string }) {
  const identity = useIdentity();
  const navigate = useNavigate();
  const [result] = useQuery({ query: LeadDetailQuery, variables: { id: leadId } });
  const [qualifyState, qualify] = useMutation(QualifyLeadMutation);
  const [assignState, assign] = useMutation(AssignLeadMutation);
  const [convertState, convert] = useMutation(ConvertLeadMutation);
  const [message, setMessage] = useState<string | null>(null);
  const lead = result.data?.lead;
  const criteria = result.data?.qualificationCriteria;
  if (result.error)
    return (
      <p role="alert" className="error">
        {failureOf(result.error)?.message}
      </p>
    );
  if (!lead || !criteria) return <p aria-busy={result.fetching}>{result.fetching ? 'Loading…' : 'This lead does not exist or is not yours to see.'}</p>;
  const writable = canWork(identity, { ownerId: lead.owner?.id ?? null, ownerTeamId: lead.owner?.teamId ?? null }) && lead.status !== 'CONVERTED';
  const q = lead.qualification;
  const failure = failureOf(qualifyState.error ?? assignState.error ?? convertState.error);

  const onQualify = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const amount = String(form.get('budget') ?? '').trim();
    setMessage(null);
    const outcome = await qualify({
      input: {
        leadId: lead.id,
        hasBudget: form.get('hasBudget') === 'on',
        budget: amount ? { amount, currency: String(form.get('currency') || 'EUR') } : null,
        isDecisionMaker: form.get('isDecisionMaker') === 'on',
        need: String(form.get('need') ?? '').trim() || null,
        needConfirmed: form.get('needConfirmed') === 'on',
        expectedPurchaseDate: String(form.get('expectedPurchaseDate') ?? '') || null,
      },
    });
    const status = outcome.data?.qualifyLead.lead.status;
    if (status) setMessage(status === 'QUALIFIED' ? 'Qualified: every criterion is met.' : 'Not qualified yet: see the unmet criteria.');
  };

  const onAssign = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const ownerId = String(new FormData(event.currentTarget).get('ownerId') ?? '');
    if (ownerId) await assign({ input: { leadId: lead.id, ownerId } });
  };

  const onConvert = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const outcome = await convert({ input: { leadId: lead.id, expectedCloseDate: String(form.get('expectedCloseDate') || '') || null } });
    const id = outcome.data?.convertLead.opportunity.id;
    if (id) navigate(`/opportunities/${id}`);
  };

  return (
    <article className="panel lead-detail" aria-labelledby="lead-heading">
      <h2 id="lead-heading">
        {lead.name} <span className="muted">· {lead.company}</span>
      </h2>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="lead-status">{humanize(lead.status)}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>
            {humanize(lead.source)}
            {lead.sourceDetail ? ` (${lead.sourceDetail})` : ''}
          </dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{lead.owner?.name ?? 'Unassigned'}</dd>
        </div>
        <div>
          <dt>Estimated value</dt>
          <dd>{formatMoney(lead.estimatedValue)}</dd>
        </div>
        <div>
          <dt>Industry · region</dt>
          <dd>
            {lead.industry ?? '—'} · {lead.region ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            {lead.email ?? '—'}
            {lead.phone ? ` · ${lead.phone}` : ''}
          </dd>
        </div>
      </dl>
      {lead.assignmentReason && (
        <p className="muted">Assigned: {withNames(lead.assignmentReason, new Map((result.data?.salesReps ?? []).map((rep) => [rep.id, rep.name])))}</p>
      )}

      <section aria-labelledby="score-heading">
        <h3 id="score-heading">
          Score {lead.scoreDetails.value}{' '}
          <span className="muted">
            ({lead.scoreDetails.method === 'MODEL' ? 'rules and trained model' : 'rules'}
            {lead.scoreDetails.override !== null ? `, overridden from ${lead.scoreDetails.computed}` : ''})
          </span>
        </h3>
        <ul className="factors">
          {lead.scoreDetails.factors.map((factor) => (
            <li key={factor.factor}>
              <span className={factor.impact >= 0 ? 'plus' : 'minus'}>{factor.impact >= 0 ? `+${factor.impact}` : factor.impact}</span> {factor.detail}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="bant-heading">
        <h3 id="bant-heading">Qualification (BANT)</h3>
        {q && q.unmetCriteria.length > 0 && (
          <div className="refusal" role="status" data-testid="unmet-criteria">
            <p>Not met when last judged ({formatDateTime(q.qualifiedAt)}):</p>
            <ul>
              {q.unmetCriteria.map((key) => (
                <li key={key} data-criterion={key}>
                  {bantWords(key)}
                </li>
              ))}
            </ul>
          </div>
        )}
        {q && q.unmetCriteria.length === 0 && <p className="ok">Qualified {formatDateTime(q.qualifiedAt)}.</p>}
        <p className="muted">
          Rules: budget {criteria.minimumBudget ? `of at least ${formatMoney(criteria.minimumBudget)}` : 'confirmed'}; purchase within{' '}
          {criteria.maxPurchaseHorizonDays} days
          {criteria.requireDecisionMaker ? '; the decision maker' : ''}
          {criteria.requireConfirmedNeed ? '; a confirmed need' : ''}.
        </p>
        {writable && (
          <form className="form-grid" onSubmit={(event) => void onQualify(event)} aria-label="Qualify lead">
            <label className="checkbox">
              <input type="checkbox" name="hasBudget" defaultChecked={q?.hasBudget ?? false} /> Has a budget
            </label>
            <label>
              Budget
              <input name="budget" inputMode="decimal" defaultValue={q?.budget?.amount ?? ''} />
            </label>
            <label>
              Currency
              <input name="currency" defaultValue={q?.budget?.currency ?? lead.estimatedValue?.currency ?? 'EUR'} maxLength={3} />
            </label>
            <label className="checkbox">
              <input type="checkbox" name="isDecisionMaker" defaultChecked={q?.isDecisionMaker ?? false} /> Talking to the decision maker
            </label>
            <label>
              Need
              <input name="need" defaultValue={q?.need ?? ''} />
            </label>
            <label className="checkbox">
              <input type="checkbox" name="needConfirmed" defaultChecked={q?.needConfirmed ?? false} /> Need confirmed
            </label>
            <label>
              Expected purchase
              <input type="date" name="expectedPurchaseDate" defaultValue={q?.expectedPurchaseDate ?? ''} />
            </label>
            <button type="submit" className="primary" disabled={qualifyState.fetching}>
              Save qualification
            </button>
          </form>
        )}
        {message && <p role="status">{message}</p>}
      </section>

      {canAssignLeads(identity) && lead.status !== 'CONVERTED' && (
        <form className="inline-form" onSubmit={(event) => void onAssign(event)} aria-label="Assign lead">
          <label>
            Assign to
            <select name="ownerId" defaultValue={lead.owner?.id ?? ''}>
              <option value="">Choose a rep</option>
              {(result.data?.salesReps ?? [])
                .filter((rep) => rep.active)
                .map((rep) => (
                  <option key={rep.id} value={rep.id}>
                    {rep.name}
                    {rep.teamId ? ` (${rep.teamId})` : ''}
                  </option>
                ))}
            </select>
          </label>
          <button type="submit" disabled={assignState.fetching}>
            Assign
          </button>
        </form>
      )}

      {writable && lead.status === 'QUALIFIED' && (
        <form className="inline-form" onSubmit={(event) => void onConvert(event)} aria-label="Convert lead">
          <label>
            Expected close
            <input type="date" name="expectedCloseDate" defaultValue={inDays(90)} />
          </label>
          <button type="submit" className="primary" disabled={convertState.fetching}>
            Convert to opportunity
          </button>
        </form>
      )}
      {lead.opportunity && (
        <p>
          <Link to={`/opportunities/${lead.opportunity.id}`}>Open its opportunity</Link>
        </p>
      )}
      <RecordTasks kind="lead" record={lead} open={lead.status !== 'CONVERTED' && lead.status !== 'DISQUALIFIED'} headingLevel={3} />
      {failure && (
        <p role="alert" className="error">
          {failure.message}
        </p>
      )}
    </article>
  );
}

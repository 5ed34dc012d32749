import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { count, formatDate, formatMoney, humanize } from '../../app/format';
import { inboxStatuses, scoreBand } from './lead-model';
import { LeadInboxQuery } from './lead-operations';
import { LeadDetail } from './LeadDetail';

export default function Leads() {
  const { leadId } = useParams();
  const [status, setStatus] = useState('OPEN');
  const [search, setSearch] = useState('');
  // An empty inbox holds no Lead for urql to invalidate on: any change to a lead re-reads it all the same.
  const context = useMemo(() => ({ additionalTypenames: ['Lead'] }), []);
  const [result] = useQuery({
    query: LeadInboxQuery,
    variables: { filter: { status: inboxStatuses(status), ...(search ? { search } : {}) }, first: 100 },
    context,
  });
  const leads = result.data?.leads.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Leads</h1>
        <p className="muted">{result.data ? count(result.data.leads.totalCount, 'lead') : ''}</p>
      </div>
      <div className={leadId ? 'split' : undefined}>
        <section aria-label="Lead inbox">
          <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Lead filters">
            <label>
              Status
              <select value={status} onChange={(event) => setStatus(event.target.value)}>
                <option value="OPEN">Open (new, working, qualified)</option>
                {['NEW', 'WORKING', 'QUALIFIED', 'DISQUALIFIED', 'CONVERTED'].map((value) => (
                  <option key={value} value={value}>
                    {humanize(value)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Search
              <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Name, company or email" />
            </label>
          </form>
          {result.error && (
            <p role="alert" className="error">
              {failureOf(result.error)?.message}
            </p>
          )}
          <table className="inbox">
            <thead>
              <tr>
                <th scope="col">Score</th>
                <th scope="col">Lead</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Owner</th>
                <th scope="col">Value</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {leads.map((lead) => (
                <tr key={lead.id} aria-current={lead.id === leadId ? 'true' : undefined}>
                  <td>
                    <span className={`score score-${scoreBand(lead.score)}`}>{lead.score}</span>
                  </td>
                  <th scope="row">
                    <Link to={`/leads/${lead.id}`}>{lead.name}</Link>
                    <div className="muted">{lead.company}</div>
                  </th>
                  <td>{humanize(lead.source)}</td>
                  <td>{humanize(lead.status)}</td>
                  <td>{lead.owner?.name ?? 'Unassigned'}</td>
                  <td>{formatMoney(lead.estimatedValue)}</td>
                  <td>{formatDate(lead.createdAt)}</td>
                </tr>
              ))}
              {leads.length === 0 && !result.fetching && (
                <tr>
                  <td colSpan={7} className="muted">
                    No leads match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
        {leadId && <LeadDetail key={leadId} leadId={leadId} />}
      </div>
    </>
  );
}

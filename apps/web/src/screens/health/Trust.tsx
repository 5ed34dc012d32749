import { useMemo, useState } from 'react';
import { useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { count, formatDays, formatMoney, formatPercent } from '../../app/format';
import { type ForecastLevel, forecastLevels } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { accuracyRows, biasWords, hitWords, rateWords } from './health-model';
import { ForecastAccuracyQuery, GateFrictionQuery } from './health-operations';

const LEVEL_NAMES: Record<ForecastLevel, string> = { REP: 'Per rep', TEAM: 'Per team', COMPANY: 'Company' };

// How far past forecasts were from what was won, per rep, team or company (each role sees the levels the graph allows it).
export function ForecastAccuracy() {
  const identity = useIdentity();
  const levels = forecastLevels(identity);
  const [level, setLevel] = useState<ForecastLevel>(levels[0]);
  const [result] = useQuery({ query: ForecastAccuracyQuery, variables: { level } });
  const names = useMemo(() => new Map((result.data?.salesReps ?? []).map((rep) => [rep.id, rep.name])), [result.data]);
  const rows = accuracyRows(result.data?.forecastAccuracy ?? [], names);
  const failure = failureOf(result.error);
  return (
    <section
      className="panel"
      aria-labelledby="accuracy-heading"
      data-testid="forecast-accuracy"
      data-ready={result.data && !result.fetching ? 'true' : 'false'}
    >
      <div className="panel-head">
        <h2 id="accuracy-heading">Forecast accuracy</h2>
        {levels.length > 1 && (
          <label>
            Level
            <select value={level} onChange={(event) => setLevel(event.target.value as ForecastLevel)}>
              {levels.map((value) => (
                <option key={value} value={value}>
                  {LEVEL_NAMES[value]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="muted panel-note">
        Each closed month is judged by the weekly forecast taken before it began (its P50 and P10–P90 range) against the revenue actually won in it.
      </p>
      {failure && (
        <p className="error" role="alert">
          {failure.message}
        </p>
      )}
      {result.data && rows.length === 0 ? (
        <p className="empty-state" data-testid="accuracy-empty">
          Not enough closed periods yet: a month counts once it has closed and a weekly forecast was taken before it began.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{level === 'COMPANY' ? 'Scope' : level === 'TEAM' ? 'Team' : 'Rep'}</th>
              <th scope="col">Closed months</th>
              <th scope="col">Mean error (|actual − P50|)</th>
              <th scope="col">Weighted error</th>
              <th scope="col">Bias (P50 vs won)</th>
              <th scope="col">Within P10–P90</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.key}-${row.currency}`} data-accuracy-key={row.key ?? 'company'}>
                <th scope="row">
                  {row.who} <span className="muted">{row.currency}</span>
                </th>
                <td>{row.periods}</td>
                <td>{formatMoney({ amount: row.meanAbsoluteError, currency: row.currency })}</td>
                <td>{formatPercent(row.weightedAbsolutePercentageError)}</td>
                <td className={row.bias !== null && Math.abs(row.bias) >= 0.2 ? 'attention-text' : undefined}>{biasWords(row.bias)}</td>
                <td>{hitWords(row.outcomes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// Which stage-gate criteria refuse moves most, how long deals stay blocked, and how blocked deals end.
export function GateFriction({ filter }: { filter: { from?: string } }) {
  const [result] = useQuery({ query: GateFrictionQuery, variables: { filter } });
  const friction = result.data?.gateFriction;
  const words = new Map((result.data?.stageCriteria ?? []).map((criterion) => [criterion.key, criterion.description]));
  const describe = (key: string) => (key === 'REASON_REQUIRED' ? 'A reason for a backward move' : (words.get(key) ?? key));
  const failure = failureOf(result.error);
  return (
    <section className="panel" aria-labelledby="friction-heading" data-testid="gate-friction" data-ready={result.data && !result.fetching ? 'true' : 'false'}>
      <h2 id="friction-heading">Gate friction</h2>
      <p className="muted panel-note">
        Stage moves the gates refused in the chosen period, by the criterion that was not met, and how the deals they blocked ended.
      </p>
      {failure && (
        <p className="error" role="alert">
          {failure.message}
        </p>
      )}
      {friction && (
        <>
          <dl className="rates">
            <div data-testid="blocked-win-rate">
              <dt>Win rate, blocked at a gate at least once</dt>
              <dd>{rateWords(friction.blockedWinRate)}</dd>
            </div>
            <div data-testid="unblocked-win-rate">
              <dt>Win rate, never blocked</dt>
              <dd>{rateWords(friction.unblockedWinRate)}</dd>
            </div>
          </dl>
          {friction.criteria.length === 0 ? (
            <p className="empty-state">No stage move was refused in this period.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Criterion (most refusals first)</th>
                  <th scope="col">Refused moves</th>
                  <th scope="col">Deals blocked</th>
                  <th scope="col">Still blocked</th>
                  <th scope="col">Median time blocked</th>
                </tr>
              </thead>
              <tbody>
                {friction.criteria.map((row) => (
                  <tr key={row.criterion} data-criterion={row.criterion} className={row.stillBlocked > 0 ? 'attention' : undefined}>
                    <th scope="row">{describe(row.criterion)}</th>
                    <td>{row.refusals}</td>
                    <td>{row.opportunities}</td>
                    <td>{row.stillBlocked}</td>
                    <td>{row.medianDaysBlocked === null ? `— (${count(row.stillBlocked, 'deal')} not past it yet)` : formatDays(row.medianDaysBlocked)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

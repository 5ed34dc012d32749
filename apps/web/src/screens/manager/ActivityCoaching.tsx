import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatAgo, formatDate, humanize } from '../../app/format';
import { seesEveryTeam } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { ACTIVITY_WEEKS, activityPeriod, activityRows, type ActivityWeeks, formatRate, STALE_DAYS, teamsOf, untouchedWords } from './coaching-model';
import { ActivityCoachingQuery, TouchNamesQuery } from './coaching-operations';

const TOUCHES = 15;

// How often each rep logs activity beside their team, and which open deals have waited longest for a touch.
export function ActivityCoaching() {
  const identity = useIdentity();
  const everyTeam = seesEveryTeam(identity);
  const [weeks, setWeeks] = useState<ActivityWeeks>(12);
  const [chosenTeam, setTeam] = useState<string>('');
  // A manager reads their own team; analysts and admins choose one or all.
  const teamId = everyTeam ? chosenTeam || null : identity.teamId;
  const filter = useMemo(() => ({ ...activityPeriod(weeks), ...(teamId ? { teamId } : {}) }), [weeks, teamId]);
  const [result] = useQuery({ query: ActivityCoachingQuery, variables: { filter, first: TOUCHES } });
  const [names] = useQuery({ query: TouchNamesQuery, variables: { teamId, first: 200 } });
  const people = useMemo(() => result.data?.salesReps ?? [], [result.data]);
  const rows = activityRows(result.data?.reps.rows ?? [], result.data?.teams.rows ?? [], people);
  const repNames = new Map(people.map((person) => [person.id, person.name]));
  const opportunities = new Map((names.data?.opportunities.edges ?? []).map(({ node }) => [node.id, node]));
  const failure = failureOf(result.error ?? names.error);
  // One team's table names its team once, in the note above it; only the all-teams table names each rep's.
  const namesTeams = teamId === null;
  return (
    <section
      className="panel"
      aria-labelledby="activity-heading"
      data-testid="activity-coaching"
      data-ready={result.data && !result.fetching && names.data && !names.fetching ? 'true' : 'false'}
      data-from={result.data?.reps.from}
      data-to={result.data?.reps.to}
    >
      <div className="panel-head">
        <h2 id="activity-heading">Coaching: activity</h2>
        <div className="inline-form">
          {everyTeam && (
            <label>
              Team
              <select value={chosenTeam} onChange={(event) => setTeam(event.target.value)}>
                <option value="">All teams</option>
                {teamsOf(people).map((team) => (
                  <option key={team} value={team}>
                    {team}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Period
            <select value={weeks} onChange={(event) => setWeeks(Number(event.target.value) as ActivityWeeks)}>
              {ACTIVITY_WEEKS.map((value) => (
                <option key={value} value={value}>
                  Last {value} weeks
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <p className="muted panel-note">
        Activities logged per week by each rep ({teamId ? `team ${teamId}` : 'all teams'}, {formatDate(result.data?.reps.from)} –{' '}
        {formatDate(result.data?.reps.to)}
        ), beside their team&apos;s. A rep under half the team&apos;s average per rep is highlighted, as is a deal untouched for {STALE_DAYS} days or more.
      </p>
      {failure && (
        <p className="error" role="alert">
          {failure.message}
        </p>
      )}
      <div className="two-columns">
        <table data-testid="activity-rates">
          <caption>Activities per week</caption>
          <thead>
            <tr>
              <th scope="col">Rep</th>
              <th scope="col">Activities</th>
              <th scope="col">Per week</th>
              <th scope="col">Team total per week</th>
              <th scope="col">Team average per rep</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key ?? 'none'} data-rep={row.key ?? 'none'} className={row.behind ? 'attention' : undefined}>
                <th scope="row">
                  {row.who}
                  {namesTeams && row.teamId && <div className="muted">Team {row.teamId}</div>}
                </th>
                <td>{row.activities}</td>
                <td>{formatRate(row.perWeek)}</td>
                <td>{formatRate(row.teamPerWeek)}</td>
                <td>{formatRate(row.teamAveragePerWeek)}</td>
              </tr>
            ))}
            {result.data && rows.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No reps or activities in this period.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <table data-testid="opportunity-touches">
          <caption>Open deals, longest untouched first</caption>
          <thead>
            <tr>
              <th scope="col">Opportunity</th>
              <th scope="col">Stage</th>
              <th scope="col">Owner</th>
              <th scope="col">Untouched for</th>
              <th scope="col">Last touch</th>
            </tr>
          </thead>
          <tbody>
            {(result.data?.opportunityTouches ?? []).map((touch) => {
              const opportunity = opportunities.get(touch.opportunityId);
              return (
                <tr
                  key={touch.opportunityId}
                  data-opportunity-id={touch.opportunityId}
                  className={touch.daysSinceLastTouch >= STALE_DAYS ? 'attention' : undefined}
                >
                  <th scope="row">
                    <Link to={`/opportunities/${touch.opportunityId}`}>{opportunity?.name ?? `Opportunity ${touch.opportunityId.slice(0, 8)}`}</Link>
                    {opportunity && <div className="muted">{opportunity.accountName}</div>}
                  </th>
                  <td>{opportunity?.stage.name ?? humanize(touch.stage)}</td>
                  <td>{touch.ownerId ? (repNames.get(touch.ownerId) ?? touch.ownerId) : 'Unassigned'}</td>
                  <td>{untouchedWords(touch.daysSinceLastTouch)}</td>
                  <td>{touch.neverTouched ? 'never (counted from creation)' : formatAgo(touch.lastTouchAt)}</td>
                </tr>
              );
            })}
            {result.data?.opportunityTouches.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No open deals.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { type Actor, badInput, isOneOf, notFound, parseId, parseInteger } from '@pipeline/domain';

import { type CohortVerdict, compareRates, MIN_COHORT_SAMPLE } from '../../domain/cohort-verdict';
import { type RateEstimate, wilsonInterval } from '../../domain/wilson';
import { leadConditions, opportunityConditions, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

const KINDS = ['PIPELINE_REVISION', 'QUALIFICATION_CRITERIA', 'SCORING_MODEL'] as const;
type ProcessChangeKind = (typeof KINDS)[number];
const DAY_MS = 86_400_000;

export interface ProcessChange {
  id: string;
  kind: ProcessChangeKind;
  subject: string | null;
  version: number;
  changedAt: Date;
  changedBy: string | null;
}

export interface Cohort {
  from: Date;
  to: Date;
  // Leads created in the window that became opportunities.
  leadConversion: RateEstimate;
  // Opportunities created in the window and closed since: won / closed.
  winRate: RateEstimate;
  // Days from creation to a win, over those won.
  medianCycleDays: number | null;
  cycleSample: number;
}

export interface ProcessChangeComparison {
  change: ProcessChange;
  before: Cohort;
  after: Cohort;
  leadConversionVerdict: CohortVerdict;
  winRateVerdict: CohortVerdict;
  cycleVerdict: 'SAMPLE_TOO_SMALL' | 'MEASURED';
  minimumSample: number;
}

function parseKind(value: unknown): ProcessChangeKind {
  if (!isOneOf(KINDS, value)) throw badInput('kind', 'kind must be PIPELINE_REVISION, QUALIFICATION_CRITERIA or SCORING_MODEL');
  return value;
}

const toChange = (row: {
  event_id: string;
  kind: ProcessChangeKind;
  subject: string;
  version: number;
  changed_at: Date;
  changed_by: string | null;
}): ProcessChange => ({
  id: row.event_id,
  kind: row.kind,
  subject: row.subject === '' ? null : row.subject,
  version: row.version,
  changedAt: row.changed_at,
  changedBy: row.changed_by,
});

// The process changes on record, newest first; they are configuration, readable by everyone who reads analytics.
export async function listProcessChanges(deps: AnalyticsDeps, _actor: Actor, args: { kind?: unknown; first?: number | null }): Promise<ProcessChange[]> {
  const first = parseInteger(args.first ?? 50, 'first', 1, 500);
  const kind = args.kind === null || args.kind === undefined ? null : parseKind(args.kind);
  const rows = await deps.dataSource.query(
    `SELECT event_id, kind, subject, version, changed_at, changed_by FROM process_change WHERE ($1::text IS NULL OR kind = $1) ORDER BY changed_at DESC, event_id LIMIT $2`,
    [kind, first],
  );
  return rows.map(toChange);
}

// Did a change help? The cohorts created in the windowDays before and after it (the after window ends now at the
// latest), compared on lead conversion, win rate and cycle, with Wilson intervals and a verdict that says when the
// samples are too small to tell. A pipeline revision compares that pipeline's opportunities. Same visibility as
// pipelineMetrics; deals still open do not count in win rates, so a young after-cohort is small by nature.
export async function compareProcessChange(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { kind: unknown; version: unknown; pipelineId?: unknown; windowDays?: number | null; filter?: RawMetricsFilter | null },
): Promise<ProcessChangeComparison> {
  const kind = parseKind(args.kind);
  const version = parseInteger(args.version, 'version', 1, 1_000_000);
  const pipelineId = args.pipelineId === null || args.pipelineId === undefined ? null : parseId(args.pipelineId, 'pipelineId');
  if (kind === 'PIPELINE_REVISION' && !pipelineId) throw badInput('pipelineId', 'a pipeline revision is named by its pipeline and version');
  const windowDays = parseInteger(args.windowDays ?? 90, 'windowDays', 7, 730);
  const scope = { ...metricsScope(actor, args.filter), from: null, to: null };
  const [row] = await deps.dataSource.query(
    `SELECT event_id, kind, subject, version, changed_at, changed_by FROM process_change WHERE kind = $1 AND subject = $2 AND version = $3`,
    [kind, pipelineId ?? '', version],
  );
  if (!row) throw notFound(`${kind} version`, String(version));
  const change = toChange(row);
  const now = deps.now();
  const at = change.changedAt;
  const windowMs = windowDays * DAY_MS;
  const cohort = async (from: Date, to: Date): Promise<Cohort> => {
    const parameters = new SqlParameters();
    const where = opportunityConditions(kind === 'PIPELINE_REVISION' ? { ...scope, pipelineId } : scope, parameters);
    const [from$, to$] = [parameters.add(from.toISOString()), parameters.add(to.toISOString())];
    const [opportunities] = await deps.dataSource.query(
      `SELECT count(*) FILTER (WHERE f.status = 'WON')::int AS won, count(*) FILTER (WHERE f.status IN ('WON', 'LOST'))::int AS closed,
              count(*) FILTER (WHERE f.status = 'WON')::int AS cycles,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.closed_at - f.created_at) / 86400) FILTER (WHERE f.status = 'WON') AS median_days
         FROM opportunity_fact f WHERE ${where} AND f.created_at >= ${from$}::timestamptz AND f.created_at < ${to$}::timestamptz`,
      parameters.values,
    );
    const leadParameters = new SqlParameters();
    const leadWhere = leadConditions(scope, leadParameters);
    const [leads] = await deps.dataSource.query(
      `SELECT count(*)::int AS leads, count(*) FILTER (WHERE l.converted_at IS NOT NULL)::int AS converted
         FROM lead_fact l WHERE ${leadWhere} AND l.created_at >= ${leadParameters.add(from.toISOString())}::timestamptz AND l.created_at < ${leadParameters.add(to.toISOString())}::timestamptz`,
      leadParameters.values,
    );
    return {
      from,
      to,
      leadConversion: wilsonInterval(leads.converted, leads.leads),
      winRate: wilsonInterval(opportunities.won, opportunities.closed),
      medianCycleDays: opportunities.median_days === null ? null : Number(opportunities.median_days),
      cycleSample: opportunities.cycles,
    };
  };
  const before = await cohort(new Date(at.getTime() - windowMs), at);
  const after = await cohort(at, new Date(Math.min(at.getTime() + windowMs, now.getTime())));
  return {
    change,
    before,
    after,
    leadConversionVerdict: compareRates(before.leadConversion, after.leadConversion),
    winRateVerdict: compareRates(before.winRate, after.winRate),
    cycleVerdict: before.cycleSample < MIN_COHORT_SAMPLE || after.cycleSample < MIN_COHORT_SAMPLE ? 'SAMPLE_TOO_SMALL' : 'MEASURED',
    minimumSample: MIN_COHORT_SAMPLE,
  };
}

import { visibilityCondition } from '@pipeline/persistence';

import type { MetricsScope } from '../domain/metrics-filter';

const REP_FACT_TEAM = (team: string) => `SELECT rep_id FROM rep_fact WHERE team_id = ${team}`;

// A team's reps as an array computed once (an InitPlan): `owner_id = ANY(...)` is then an index condition on the owner
// indexes of the facts and the rollup, where `owner_id IN (SELECT ...)` was a hash join over every row of the grain.
export const teamMembers = (team: string) => `ARRAY(${REP_FACT_TEAM(team)})`;

// Builds the WHERE clause on opportunity_fact (alias f) for a scope, with positional parameters.
export class SqlParameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

// The alias rollup queries give kpi_rollup rows.
const ROLLUP_ALIAS = 'r';

// What opportunityConditions gives for an unrestricted scope (alias f): only archived opportunities are left out.
export const UNRESTRICTED = 'NOT f.archived';

// Stays of every opportunity not archived, without joining the facts (the costliest step of unrestricted queries at
// 100k opportunities): an anti-join on the few archived ones, and f.archived answered false for the WHERE clause.
export const UNRESTRICTED_STAYS =
  '(SELECT * FROM stage_interval WHERE opportunity_id NOT IN (SELECT opportunity_id FROM opportunity_fact WHERE archived)) i CROSS JOIN (SELECT false AS archived) f';

export function opportunityConditions(scope: MetricsScope, parameters: SqlParameters, alias = 'f'): string {
  // Archived opportunities count nowhere until restored: facts say so per row; rollup rows (alias r) never hold their contributions.
  const conditions: string[] = [alias === ROLLUP_ALIAS ? 'true' : `NOT ${alias}.archived`];
  if (scope.pipelineId) conditions.push(`${alias}.pipeline_id = ${parameters.add(scope.pipelineId)}`);
  if (scope.ownerIds?.length) conditions.push(`${alias}.owner_id = ANY(${parameters.add(scope.ownerIds)}::uuid[])`);
  if (scope.teamId) conditions.push(`${alias}.owner_id = ANY(${teamMembers(parameters.add(scope.teamId))})`);
  if (scope.industry) conditions.push(`lower(${alias}.industry) = lower(${parameters.add(scope.industry)})`);
  if (scope.source) conditions.push(`${alias}.lead_source = ${parameters.add(scope.source)}`);
  conditions.push(visibleTo(scope, parameters, `${alias}.owner_id`));
  return conditions.join(' AND ');
}

// The same row-level rule as every service (a rep their own, a manager their team's and unowned), on a fact's owner.
export const visibleTo = (scope: MetricsScope, parameters: SqlParameters, ownerColumn: string): string =>
  visibilityCondition(scope.visibility, { owner: ownerColumn, teamMembers: REP_FACT_TEAM }, (value) => parameters.add(value));

export function periodCondition(column: string, scope: MetricsScope, parameters: SqlParameters): string {
  const conditions: string[] = [];
  if (scope.from) conditions.push(`${column} >= ${parameters.add(scope.from.toISOString())}::timestamptz`);
  if (scope.to) conditions.push(`${column} < ${parameters.add(scope.to.toISOString())}::timestamptz`);
  return conditions.length > 0 ? conditions.join(' AND ') : 'true';
}

// The same scope on lead_fact (alias l): leads are filtered and seen by their owner, as opportunities are.
export function leadConditions(scope: MetricsScope, parameters: SqlParameters, alias = 'l'): string {
  const conditions: string[] = ['true'];
  if (scope.source) conditions.push(`${alias}.source = ${parameters.add(scope.source)}`);
  if (scope.industry) conditions.push(`lower(${alias}.industry) = lower(${parameters.add(scope.industry)})`);
  if (scope.ownerIds?.length) conditions.push(`${alias}.owner_id = ANY(${parameters.add(scope.ownerIds)}::uuid[])`);
  if (scope.teamId) conditions.push(`${alias}.owner_id IN (SELECT rep_id FROM rep_fact WHERE team_id = ${parameters.add(scope.teamId)})`);
  const visibility = scope.visibility;
  if (visibility.kind === 'own') conditions.push(`${alias}.owner_id = ${parameters.add(visibility.userId)}::uuid`);
  if (visibility.kind === 'team') {
    const team = visibility.teamId ? `OR ${alias}.owner_id IN (SELECT rep_id FROM rep_fact WHERE team_id = ${parameters.add(visibility.teamId)})` : '';
    conditions.push(`(${alias}.owner_id IS NULL OR ${alias}.owner_id = ${parameters.add(visibility.userId)}::uuid ${team})`);
  }
  return conditions.join(' AND ');
}

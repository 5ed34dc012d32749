import { isUuid, type Visibility } from '@pipeline/domain';

export interface OwnedColumns {
  // The column holding the record owner's SalesRep id (a uuid).
  owner: string;
  // SQL for the ids of a team's reps, given the placeholder of the team id: each service keeps its own rep table.
  teamMembers: (teamPlaceholder: string) => string;
}

// Row-level visibility (the domain's canRead) as one SQL condition, for query builders and raw SQL alike: `add`
// binds a value and returns its placeholder. Owners are SalesRep UUIDs, so a caller whose id is not one owns
// nothing, and that id never reaches a uuid cast.
export function visibilityCondition(visibility: Visibility, columns: OwnedColumns, add: (value: unknown) => string): string {
  if (visibility.kind === 'all') return 'true';
  const own = isUuid(visibility.userId) ? `${columns.owner} = ${add(visibility.userId)}::uuid` : null;
  if (visibility.kind === 'own') return own ?? 'false';
  const parts = [`${columns.owner} IS NULL`];
  if (own) parts.push(own);
  // The team as an array computed once (an InitPlan): unlike `IN (subquery)` it is an index condition and is pushed
  // into UNION branches, so a manager's rows are found by the owner index rather than by filtering every row.
  if (visibility.teamId !== null) parts.push(`${columns.owner} = ANY(ARRAY(${columns.teamMembers(add(visibility.teamId))}))`);
  return `(${parts.join(' OR ')})`;
}

// Named parameters for TypeORM query builders: `condition` goes to andWhere with `parameters`.
export function namedVisibility(visibility: Visibility, columns: OwnedColumns, prefix = 'visible'): { condition: string; parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = {};
  const condition = visibilityCondition(visibility, columns, (value) => {
    const name = `${prefix}${Object.keys(parameters).length}`;
    parameters[name] = value;
    return `:${name}`;
  });
  return { condition, parameters };
}

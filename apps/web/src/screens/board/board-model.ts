// The board's view logic, kept out of the components so it is tested without a browser.
export interface BoardFilters {
  pipelineId: string | null;
  ownerId: string | null;
  teamId: string | null;
  industry: string | null;
  sizeBand: string | null;
  stalled: boolean;
  // Follow-ups: cards with no open task planned, or with overdue tasks (applied to the cards the board loaded).
  followUp: FollowUpFilter | null;
}

export type FollowUpFilter = 'NO_NEXT_ACTIVITY' | 'OVERDUE';
const FOLLOW_UPS: Record<string, FollowUpFilter> = { none: 'NO_NEXT_ACTIVITY', overdue: 'OVERDUE' };

const FILTER_KEYS = ['pipelineId', 'ownerId', 'teamId', 'industry', 'sizeBand'] as const;

export function filtersFromParams(params: URLSearchParams): BoardFilters {
  const read = (key: string) => params.get(key)?.trim() || null;
  return {
    pipelineId: read('pipeline'),
    ownerId: read('owner'),
    teamId: read('team'),
    industry: read('industry'),
    sizeBand: read('size'),
    stalled: params.get('stalled') === '1',
    followUp: FOLLOW_UPS[params.get('next') ?? ''] ?? null,
  };
}

export function paramsFromFilters(filters: BoardFilters): URLSearchParams {
  const names: Record<(typeof FILTER_KEYS)[number], string> = {
    pipelineId: 'pipeline',
    ownerId: 'owner',
    teamId: 'team',
    industry: 'industry',
    sizeBand: 'size',
  };
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(names[key], filters[key] as string);
  if (filters.stalled) params.set('stalled', '1');
  if (filters.followUp) params.set('next', filters.followUp === 'OVERDUE' ? 'overdue' : 'none');
  return params;
}

// The open pipeline only: closed stages are reached by closing the deal, and their history belongs to Health.
export function opportunityFilter(filters: BoardFilters) {
  return {
    status: ['OPEN' as const],
    ...(filters.ownerId ? { ownerId: filters.ownerId } : {}),
    ...(filters.teamId ? { teamId: filters.teamId } : {}),
    ...(filters.industry ? { industry: filters.industry } : {}),
    ...(filters.sizeBand ? { sizeBand: [filters.sizeBand] } : {}),
    ...(filters.stalled ? { stalled: true } : {}),
  };
}

export interface CardLike {
  id: string;
}

// The graph has no filter on tasks, so the board narrows the cards it loaded; a column's totals stay the API's.
export function matchesFollowUp(card: { nextActivityAt: string | null; overdueTaskCount: number }, filter: FollowUpFilter | null): boolean {
  if (filter === 'NO_NEXT_ACTIVITY') return card.nextActivityAt === null;
  if (filter === 'OVERDUE') return card.overdueTaskCount > 0;
  return true;
}

export interface ColumnLike<C extends CardLike> {
  stageKey: string;
  cards: C[];
}

// While a move is on its way the card shows where it was dropped; a refusal puts it back by clearing the move.
export function withPendingMove<C extends CardLike>(columns: ColumnLike<C>[], move: { opportunityId: string; toStage: string } | null): ColumnLike<C>[] {
  if (!move) return columns;
  const card = columns.flatMap((column) => column.cards).find((candidate) => candidate.id === move.opportunityId);
  if (!card) return columns;
  return columns.map((column) => {
    const others = column.cards.filter((candidate) => candidate.id !== move.opportunityId);
    return { ...column, cards: column.stageKey === move.toStage ? [card, ...others] : others };
  });
}

export interface Criterion {
  key: string;
  description: string;
}

// Unmet criteria keys in the words the pipeline defines; an unknown key is shown as itself.
export const describeCriteria = (keys: string[], known: readonly Criterion[]): Criterion[] =>
  keys.map((key) => known.find((criterion) => criterion.key === key) ?? { key, description: key.replace(/_/g, ' ').toLowerCase() });

// Keyboard moves jump a whole column: the next stage to the right or left of where the card is now.
export function neighbourColumn<T extends { id: string; left: number }>(columns: T[], currentCenterX: number, direction: 'left' | 'right'): T | null {
  const sorted = [...columns].sort((a, b) => a.left - b.left);
  if (direction === 'right') return sorted.find((column) => column.left > currentCenterX) ?? null;
  const before = sorted.filter((column) => column.left < currentCenterX);
  return before.length >= 2 ? before[before.length - 2] : null;
}

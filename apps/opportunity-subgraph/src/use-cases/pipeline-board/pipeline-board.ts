import { type Actor, badInput, LIST_LIMITS, type Money, visibilityOf } from '@pipeline/domain';

import type { Opportunity } from '../../domain/opportunity';
import { activeStages, type Pipeline, type Stage } from '../../domain/pipeline';
import { boardColumns } from '../../persistence/opportunity-repository';
import { sizeBandsFor } from '../../persistence/snapshot-repository';
import { pipelineOrDefault } from '../create-opportunity/create-opportunity';
import type { OpportunityDeps } from '../deps';
import { parseOpportunityFilter, parseSort, type RawOpportunityFilter } from '../list-opportunities/list-opportunities';
import { parseOptionalId } from '../shared/opportunity-input';

export interface BoardColumn {
  stage: Stage;
  count: number;
  amount: Money[];
  weightedAmount: Money[];
  cards: Opportunity[];
  hasMoreCards: boolean;
}

export interface PipelineBoard {
  pipeline: Pipeline;
  columns: BoardColumn[];
  totalCount: number;
}

// The kanban: one column per active stage, even empty ones, so a frontend draws the whole process.
export async function pipelineBoard(
  deps: OpportunityDeps,
  actor: Actor,
  args: { pipelineId?: unknown; filter?: RawOpportunityFilter | null; cardsPerStage?: number | null; orderBy?: { field: unknown; direction?: unknown } | null },
): Promise<PipelineBoard> {
  const { default: defaultCards, max: maxCards } = LIST_LIMITS.boardCardsPerStage;
  const cardsPerStage = args.cardsPerStage ?? defaultCards;
  if (!Number.isInteger(cardsPerStage) || cardsPerStage < 0 || cardsPerStage > maxCards)
    throw badInput('cardsPerStage', `cardsPerStage must be a whole number from 0 to ${maxCards}`);
  const filter = parseOpportunityFilter(args.filter);
  const sort = parseSort(args.orderBy);
  const manager = deps.dataSource.manager;
  const pipeline = await pipelineOrDefault(manager, parseOptionalId(args.pipelineId, 'pipelineId'));
  const { aggregates, cards, totalCount } = await boardColumns(
    manager,
    pipeline.id,
    filter,
    visibilityOf(actor),
    await sizeBandsFor(manager, filter),
    sort,
    cardsPerStage,
    deps.now(),
  );
  const columns = activeStages(pipeline).map((stage) => {
    const aggregate = aggregates.find((entry) => entry.stageKey === stage.key);
    const stageCards = cards.get(stage.key) ?? [];
    return {
      stage,
      count: aggregate?.count ?? 0,
      amount: aggregate?.amount ?? [],
      weightedAmount: aggregate?.weightedAmount ?? [],
      cards: stageCards,
      hasMoreCards: (aggregate?.count ?? 0) > stageCards.length,
    };
  });
  return { pipeline, columns, totalCount };
}

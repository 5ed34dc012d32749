import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  rectIntersection,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { count } from '../../app/format';
import { useOpportunityChanges } from '../../app/live';
import { canWork } from '../../app/permissions';
import { useIdentity, useSession } from '../../app/session';
import {
  type BoardFilters,
  type Criterion,
  describeCriteria,
  filtersFromParams,
  type FollowUpFilter,
  matchesFollowUp,
  neighbourColumn,
  opportunityFilter,
  paramsFromFilters,
  withPendingMove,
} from './board-model';
import { BoardQuery, BoardSetupQuery, MoveOpportunityMutation } from './board-operations';
import type { BoardCard } from './board-types';
import { BoardColumn } from './BoardColumn';

const CARDS_PER_STAGE = 100;

// Arrow keys carry a picked-up card to the next stage's column; space drops it, escape cancels (dnd-kit's keyboard sensor).
const columnCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  if (event.code !== 'ArrowRight' && event.code !== 'ArrowLeft') return undefined;
  event.preventDefault();
  const { collisionRect, droppableRects, droppableContainers } = context;
  if (!collisionRect) return undefined;
  const columns = droppableContainers.getEnabled().flatMap((container) => {
    const rect = droppableRects.get(container.id);
    return rect ? [{ id: String(container.id), left: rect.left, top: rect.top, width: rect.width }] : [];
  });
  const target = neighbourColumn(columns, collisionRect.left + collisionRect.width / 2, event.code === 'ArrowRight' ? 'right' : 'left');
  return target ? { x: target.left + (target.width - collisionRect.width) / 2, y: target.top + 60 } : undefined;
};

interface Refusal {
  opportunityId: string;
  stageName: string;
  criteria: Criterion[];
}

export function Board() {
  const { session, config } = useSession();
  const identity = useIdentity();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const [setup] = useQuery({ query: BoardSetupQuery });
  const pipelines = setup.data?.pipelines ?? [];
  // The board query carries its stages and asks for the default pipeline itself, so it runs beside the setup query.
  const variables = useMemo(
    () => ({ pipelineId: filters.pipelineId ?? undefined, filter: opportunityFilter(filters), cardsPerStage: CARDS_PER_STAGE }),
    [filters],
  );
  const [board, reload] = useQuery({ query: BoardQuery, variables });
  const pipelineId = board.data?.pipelineBoard.pipeline.id ?? filters.pipelineId;
  const [, moveOpportunity] = useMutation(MoveOpportunityMutation);
  // Where a card was dropped, shown until the board has been re-read after the move (a new result replaces it).
  const [pending, setPending] = useState<{ opportunityId: string; toStage: string; shownOn: unknown } | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }),
  );

  const reloadFromNetwork = useCallback(() => reload({ requestPolicy: 'network-only' }), [reload]);
  // Stable, so the memoised cards do not all render again whenever the board does.
  const dismissRefusal = useCallback(() => setRefusal(null), []);
  useOpportunityChanges(session?.token ?? null, config.liveUpdates, (change) => {
    if (!change || change.pipelineId === pipelineId) reloadFromNetwork();
  });

  useEffect(() => {
    if (!board.data) return;
    performance.mark('board-rendered');
  }, [board.data]);

  const columnsData = board.data?.pipelineBoard.columns ?? [];
  const stageName = (key: string) => columnsData.find((column) => column.stage.key === key)?.stage.name ?? key;
  const columns = withPendingMove(
    columnsData.map((column) => ({ stageKey: column.stage.key, cards: column.cards })),
    pending && pending.shownOn === board.data ? pending : null,
  );
  const cardById = new Map(columnsData.flatMap((column) => column.cards.map((card) => [card.id, { card, stage: column.stage.key }] as const)));
  const canMove = useCallback((card: BoardCard) => canWork(identity, { ownerId: card.owner?.id ?? null, ownerTeamId: card.owner?.teamId ?? null }), [identity]);

  const onDragEnd = async ({ active, over }: DragEndEvent) => {
    const found = cardById.get(String(active.id));
    if (!found || !over || over.id === found.stage) return;
    const toStage = String(over.id);
    setRefusal(null);
    setNotice(null);
    setPending({ opportunityId: found.card.id, toStage, shownOn: board.data });
    const result = await moveOpportunity({ input: { opportunityId: found.card.id, toStage, expectedVersion: found.card.version } });
    const failure = failureOf(result.error);
    if (!failure) return reloadFromNetwork();
    setPending(null);
    if (failure.code === 'STAGE_GATE_FAILED') {
      setRefusal({
        opportunityId: found.card.id,
        stageName: stageName(toStage),
        criteria: describeCriteria(failure.unmetCriteria, setup.data?.stageCriteria ?? []),
      });
    } else if (failure.code === 'CONFLICT') {
      setNotice(`${found.card.name} was changed by someone else meanwhile; the board shows its current state.`);
      reloadFromNetwork();
    } else {
      setNotice(`${found.card.name} could not be moved: ${failure.message}`);
    }
  };

  const nameOf = (id: string | number) => cardById.get(String(id))?.card.name ?? 'the opportunity';
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}. Left and right arrows choose a stage, space drops, escape cancels.`,
    onDragOver: ({ active, over }) => (over ? `${nameOf(active.id)} is over ${stageName(String(over.id))}.` : `${nameOf(active.id)} is over no stage.`),
    onDragEnd: ({ active, over }) => (over ? `${nameOf(active.id)} dropped on ${stageName(String(over.id))}.` : `${nameOf(active.id)} put back.`),
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled; it stays where it was.`,
  };

  const setFilters = (next: Partial<BoardFilters>) => setParams(paramsFromFilters({ ...filters, ...next }), { replace: true });
  const reps = setup.data?.salesReps ?? [];
  const teams = [...new Set(reps.map((rep) => rep.teamId).filter((team): team is string => Boolean(team)))].sort();

  return (
    <>
      <div className="page-head">
        <h1>Board</h1>
        <p className="muted" aria-live="polite">
          {board.data ? count(board.data.pipelineBoard.totalCount, 'open opportunity', 'open opportunities') : 'Loading…'}
          {board.fetching && board.data ? ' · updating' : ''}
        </p>
      </div>
      <form className="filters" aria-label="Board filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Pipeline
          <select value={pipelineId ?? ''} onChange={(event) => setFilters({ pipelineId: event.target.value || null })}>
            {pipelines.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner
          <select value={filters.ownerId ?? ''} onChange={(event) => setFilters({ ownerId: event.target.value || null })}>
            <option value="">Everyone I can see</option>
            {reps.map((rep) => (
              <option key={rep.id} value={rep.id}>
                {rep.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Team
          <select value={filters.teamId ?? ''} onChange={(event) => setFilters({ teamId: event.target.value || null })}>
            <option value="">All teams</option>
            {teams.map((team) => (
              <option key={team} value={team}>
                {team}
              </option>
            ))}
          </select>
        </label>
        <label>
          Industry
          <input
            type="search"
            defaultValue={filters.industry ?? ''}
            placeholder="Any"
            onBlur={(event) => setFilters({ industry: event.target.value || null })}
            onKeyDown={(event) => event.key === 'Enter' && setFilters({ industry: event.currentTarget.value || null })}
          />
        </label>
        <label>
          Size
          <select value={filters.sizeBand ?? ''} onChange={(event) => setFilters({ sizeBand: event.target.value || null })}>
            <option value="">Any size</option>
            {(setup.data?.dealSizeBands ?? []).map((band) => (
              <option key={band.name} value={band.name}>
                {band.name.charAt(0) + band.name.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Next activity
          <select value={filters.followUp ?? ''} onChange={(event) => setFilters({ followUp: (event.target.value || null) as FollowUpFilter | null })}>
            <option value="">Any</option>
            <option value="NO_NEXT_ACTIVITY">No next activity</option>
            <option value="OVERDUE">Overdue tasks</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={filters.stalled} onChange={(event) => setFilters({ stalled: event.target.checked })} />
          Stalled only
        </label>
      </form>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {(board.error || setup.error) && (
        <p role="alert" className="error">
          {failureOf(board.error ?? setup.error)?.message}
        </p>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={rectIntersection}
        onDragEnd={(event) => void onDragEnd(event)}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable: 'Press space to pick up the card. Left and right arrows move it between stages; space drops it; escape cancels.',
          },
        }}
      >
        <div className="board" data-ready={board.data && !board.fetching ? 'true' : 'false'}>
          {columnsData.map((data) => {
            const loaded = columns.find((column) => column.stageKey === data.stage.key)?.cards ?? [];
            const cards = filters.followUp ? loaded.filter((candidate) => matchesFollowUp(candidate, filters.followUp)) : loaded;
            return (
              <BoardColumn
                key={data.stage.key}
                stage={data.stage}
                count={data.count}
                amount={data.amount}
                weightedAmount={data.weightedAmount}
                cards={cards}
                filteredOut={loaded.length - cards.length}
                hasMoreCards={data.hasMoreCards}
                canMove={canMove}
                refusal={refusal}
                onDismissRefusal={dismissRefusal}
              />
            );
          })}
        </div>
      </DndContext>
    </>
  );
}

import { useDroppable } from '@dnd-kit/core';

import { formatMoneyList } from '../../app/format';
import type { Criterion } from './board-model';
import type { BoardCard } from './board-types';
import { OpportunityCard } from './OpportunityCard';

interface Props {
  stage: { key: string; name: string; category: string; probability: number };
  count: number;
  amount: Array<{ amount: string; currency: string }>;
  weightedAmount: Array<{ amount: string; currency: string }>;
  cards: BoardCard[];
  // Cards the follow-up filter hides (it narrows the loaded cards, the totals stay the column's).
  filteredOut: number;
  hasMoreCards: boolean;
  canMove(card: BoardCard): boolean;
  refusal: { opportunityId: string; stageName: string; criteria: Criterion[] } | null;
  onDismissRefusal(): void;
}

export function BoardColumn({ stage, count, amount, weightedAmount, cards, filteredOut, hasMoreCards, canMove, refusal, onDismissRefusal }: Props) {
  const { setNodeRef, isOver } = useDroppable({ id: stage.key, data: { name: stage.name } });
  const headingId = `stage-${stage.key}`;
  const closed = stage.category !== 'OPEN';
  return (
    <section className={`column${isOver ? ' over' : ''}${closed ? ' closed' : ''}`} ref={setNodeRef} aria-labelledby={headingId} data-stage={stage.key}>
      <header className="column-head">
        <h2 id={headingId}>{stage.name}</h2>
        {closed ? (
          <p className="muted">Close the deal to move here</p>
        ) : (
          <dl className="column-totals">
            <div>
              <dt>Count</dt>
              <dd data-testid="column-count">{count}</dd>
            </div>
            <div>
              <dt>Amount</dt>
              <dd>{formatMoneyList(amount)}</dd>
            </div>
            <div>
              <dt>Weighted ({Math.round(stage.probability * 100)}%)</dt>
              <dd>{formatMoneyList(weightedAmount)}</dd>
            </div>
          </dl>
        )}
      </header>
      {!closed && (
        <ol className="cards">
          {cards.map((card) => (
            <OpportunityCard
              key={card.id}
              card={card}
              movable={canMove(card)}
              refusal={refusal?.opportunityId === card.id ? refusal : null}
              onDismissRefusal={onDismissRefusal}
            />
          ))}
          {cards.length === 0 && <li className="empty muted">No opportunities</li>}
        </ol>
      )}
      {!closed && filteredOut > 0 && <p className="muted more">{filteredOut} more not matching the next-activity filter</p>}
      {hasMoreCards && <p className="muted more">{count - cards.length} more: narrow the filters to see them</p>}
    </section>
  );
}

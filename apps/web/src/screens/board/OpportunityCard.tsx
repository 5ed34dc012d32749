import { useDraggable } from '@dnd-kit/core';
import { CSS } from '@dnd-kit/utilities';
import { memo } from 'react';
import { Link } from 'react-router';

import { count, formatAgo, formatDate, formatDateTime, formatDays, formatMoney } from '../../app/format';
import type { Criterion } from './board-model';
import type { BoardCard } from './board-types';

interface Props {
  card: BoardCard;
  movable: boolean;
  refusal: { stageName: string; criteria: Criterion[] } | null;
  onDismissRefusal(): void;
}

// A card moves by its handle (pointer or keyboard), so the card's link stays an ordinary link.
export const OpportunityCard = memo(function OpportunityCard({ card, movable, refusal, onDismissRefusal }: Props) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, isDragging } = useDraggable({
    id: card.id,
    disabled: !movable,
    data: { name: card.name },
  });
  const style = transform ? { transform: CSS.Translate.toString(transform) } : undefined;
  return (
    <li className={`card${isDragging ? ' dragging' : ''}${card.stalled ? ' stalled' : ''}`} ref={setNodeRef} style={style} data-opportunity-id={card.id}>
      <div className="card-head">
        <Link to={`/opportunities/${card.id}`} className="card-title">
          {card.name}
        </Link>
        {movable && (
          <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Move ${card.name}`}>
            <span aria-hidden="true">⠿</span>
          </button>
        )}
      </div>
      <div className="card-account">{card.accountName}</div>
      <dl className="card-facts">
        <div>
          <dt>Amount</dt>
          <dd>{formatMoney(card.amount)}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{card.owner?.name ?? 'Unassigned'}</dd>
        </div>
        <div>
          <dt>In stage</dt>
          <dd>{formatDays(card.daysInStage)}</dd>
        </div>
        <div>
          <dt>Last activity</dt>
          <dd>{formatAgo(card.lastActivityAt)}</dd>
        </div>
        <div>
          <dt>Close</dt>
          <dd>{formatDate(card.expectedCloseDate)}</dd>
        </div>
        <div className="card-next">
          <dt>Next activity</dt>
          <dd data-testid="next-activity" className={card.overdueTaskCount > 0 ? 'overdue-words' : undefined}>
            {card.nextActivityAt ? formatDateTime(card.nextActivityAt) : <span className="no-next">No next activity</span>}
          </dd>
        </div>
      </dl>
      {card.overdueTaskCount > 0 && (
        <span className="badge badge-alert" data-testid="overdue-tasks">
          {count(card.overdueTaskCount, 'overdue task')}
        </span>
      )}
      {card.stalled && <span className="badge badge-warn">Stalled</span>}
      {refusal && (
        <div className="refusal" role="alert">
          <p>
            Cannot move to <strong>{refusal.stageName}</strong> yet. Still needed:
          </p>
          <ul>
            {refusal.criteria.map((criterion) => (
              <li key={criterion.key} data-criterion={criterion.key}>
                {criterion.description}
              </li>
            ))}
          </ul>
          <button type="button" className="link-button" onClick={onDismissRefusal}>
            Dismiss
          </button>
        </div>
      )}
    </li>
  );
});

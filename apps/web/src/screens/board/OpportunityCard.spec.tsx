import { DndContext } from '@dnd-kit/core';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';

import type { BoardCard } from './board-types';
import { OpportunityCard } from './OpportunityCard';

const card: BoardCard = {
  __typename: 'Opportunity',
  id: 'o1',
  name: 'Acme Robotics',
  accountName: 'Acme GmbH',
  version: 3,
  status: 'OPEN',
  amount: { __typename: 'Money', amount: '48000.00', currency: 'EUR' },
  owner: { __typename: 'SalesRep', id: 'r1', name: 'Rita Rep', teamId: 'north' },
  daysInStage: 17.2,
  stalled: true,
  lastActivityAt: null,
  expectedCloseDate: '2027-03-31',
  nextActivityAt: null,
  overdueTaskCount: 0,
};

const renderCard = (props: Partial<Parameters<typeof OpportunityCard>[0]> = {}) =>
  render(
    <MemoryRouter>
      <DndContext>
        <ul>
          <OpportunityCard card={card} movable refusal={null} onDismissRefusal={() => undefined} {...props} />
        </ul>
      </DndContext>
    </MemoryRouter>,
  );

describe('an opportunity card', () => {
  it('shows owner, amount, days in stage, last activity, close date and the stalled flag', () => {
    renderCard();
    const item = screen.getByRole('listitem');
    expect(within(item).getByRole('link', { name: 'Acme Robotics' })).toHaveAttribute('href', '/opportunities/o1');
    expect(item).toHaveTextContent('Rita Rep');
    expect(item).toHaveTextContent('€48,000.00');
    expect(item).toHaveTextContent('17 d');
    expect(item).toHaveTextContent('Last activitynever');
    expect(item).toHaveTextContent('31 Mar 2027');
    expect(within(item).getByText('Stalled')).toBeInTheDocument();
  });

  it('highlights a card with no next activity, and shows the next one and the overdue tasks otherwise', () => {
    const { unmount } = renderCard();
    expect(screen.getByTestId('next-activity')).toHaveTextContent('No next activity');
    expect(screen.queryByTestId('overdue-tasks')).toBeNull();
    unmount();
    renderCard({ card: { ...card, nextActivityAt: '2026-11-28T09:30:00Z', overdueTaskCount: 2 } });
    expect(screen.getByTestId('next-activity')).not.toHaveTextContent('No next activity');
    expect(screen.getByTestId('next-activity')).toHaveTextContent('28 Nov');
    expect(screen.getByTestId('overdue-tasks')).toHaveTextContent('2 overdue tasks');
  });

  it('has a drag handle only for someone who may move it', () => {
    const { unmount } = renderCard();
    expect(screen.getByRole('button', { name: 'Move Acme Robotics' })).toBeInTheDocument();
    unmount();
    renderCard({ movable: false });
    expect(screen.queryByRole('button', { name: 'Move Acme Robotics' })).toBeNull();
  });

  it("lists a refused move's unmet criteria beside the card", () => {
    renderCard({ refusal: { stageName: 'Negotiation', criteria: [{ key: 'PROPOSAL_SENT', description: 'A proposal was sent to the prospect' }] } });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Cannot move to Negotiation yet');
    expect(within(alert).getByText('A proposal was sent to the prospect')).toHaveAttribute('data-criterion', 'PROPOSAL_SENT');
  });
});

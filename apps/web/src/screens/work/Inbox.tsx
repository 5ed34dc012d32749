import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatDateTime, humanize } from '../../app/format';
import { recordLink, withNames } from './work-model';
import { InboxQuery, MarkNotificationsReadMutation } from './work-operations';

// Everyone's own inbox, whatever their role: newest first, unread ones marked, read one by one or all at once.
export function Inbox() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  // Marking read returns no Notification; its payload's typename re-reads the list and the badge.
  const context = useMemo(() => ({ additionalTypenames: ['Notification', 'MarkNotificationsReadPayload'] }), []);
  const [result] = useQuery({ query: InboxQuery, variables: { first: 50, unreadOnly }, context });
  const [marking, mark] = useMutation(MarkNotificationsReadMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const notifications = result.data?.notifications.edges.map((edge) => edge.node) ?? [];
  const unread = result.data?.unreadNotificationCount ?? 0;
  const names = useMemo(() => new Map((result.data?.salesReps ?? []).map((rep) => [rep.id, rep.name])), [result.data]);

  const markRead = async (ids?: string[]) => {
    const outcome = await mark({ input: ids ? { ids } : {} });
    setProblem(failureOf(outcome.error)?.message ?? null);
  };

  return (
    <section className="panel inbox-panel" id="inbox" aria-labelledby="inbox-heading" data-ready={result.data && !result.fetching ? 'true' : 'false'}>
      <div className="panel-head">
        <h2 id="inbox-heading">
          Inbox <span className={`badge${unread > 0 ? ' badge-alert' : ''}`} data-testid="inbox-unread">{`${unread} unread`}</span>
        </h2>
        <button type="button" disabled={unread === 0 || marking.fetching} onClick={() => void markRead()}>
          Mark all read
        </button>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} />
        Unread only
      </label>
      {(result.error || problem) && (
        <p role="alert" className="error">
          {problem ?? failureOf(result.error)?.message}
        </p>
      )}
      <ul className="notifications">
        {notifications.map((notification) => {
          const link = recordLink(notification);
          const isUnread = notification.readAt === null;
          return (
            <li key={notification.id} className={isUnread ? 'unread' : undefined} data-notification-id={notification.id} data-unread={isUnread}>
              <div className="notification-head">
                <span className="badge">{humanize(notification.kind)}</span>
                <strong>{withNames(notification.title, names)}</strong>
                {isUnread && <span className="visually-hidden">(unread)</span>}
              </div>
              <div>{withNames(notification.body, names)}</div>
              <div className="muted notification-meta">
                {formatDateTime(notification.createdAt)}
                {link && (
                  <>
                    {' · '}
                    <Link to={link.href}>{link.label}</Link>
                  </>
                )}
                {isUnread && (
                  <button
                    type="button"
                    className="link-button"
                    disabled={marking.fetching}
                    onClick={() => void markRead([notification.id])}
                    aria-label={`Mark read: ${withNames(notification.title, names)}`}
                  >
                    Mark read
                  </button>
                )}
              </div>
            </li>
          );
        })}
        {result.data && notifications.length === 0 && <li className="muted">{unreadOnly ? 'Nothing unread.' : 'Nothing in your inbox yet.'}</li>}
      </ul>
    </section>
  );
}

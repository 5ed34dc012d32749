import { useEffect, useMemo } from 'react';
import { useQuery } from 'urql';

import { badgeText } from './work-model';
import { UnreadCountQuery } from './work-operations';

const REFRESH_MS = 60_000;

// The nav's unread count: re-read after any mark-read and once a minute (the inbox has no live stream yet).
export function UnreadBadge() {
  const context = useMemo(() => ({ additionalTypenames: ['Notification', 'MarkNotificationsReadPayload'] }), []);
  const [result, reexecute] = useQuery({ query: UnreadCountQuery, context });
  useEffect(() => {
    const timer = window.setInterval(() => reexecute({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reexecute]);
  const unread = result.data?.unreadNotificationCount ?? 0;
  if (unread === 0) return null;
  return (
    <span className="nav-badge" data-testid="nav-unread">
      {badgeText(unread)}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}

// My work's view logic: which open tasks are overdue, due today or upcoming, the times a person types, and the inbox.
export interface TaskLike {
  id: string;
  dueAt: string;
  overdue: boolean;
}

export interface TaskGroups<T extends TaskLike> {
  overdue: T[];
  today: T[];
  upcoming: T[];
}

// The end of the person's own day (local time): "due today" is what is left of it.
export const endOfLocalDay = (now: Date): Date => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);

// Overdue first (the API's flag, or past due since it was read), then the rest of today, then later; each by due time.
export function groupTasks<T extends TaskLike>(tasks: readonly T[], now: Date = new Date()): TaskGroups<T> {
  const byDue = [...tasks].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  const dayEnd = endOfLocalDay(now).getTime();
  const groups: TaskGroups<T> = { overdue: [], today: [], upcoming: [] };
  for (const task of byDue) {
    const due = new Date(task.dueAt).getTime();
    if (task.overdue || due < now.getTime()) groups.overdue.push(task);
    else if (due < dayEnd) groups.today.push(task);
    else groups.upcoming.push(task);
  }
  return groups;
}

const pad = (n: number) => String(n).padStart(2, '0');

// The value a datetime-local input shows for an instant, in the person's time zone.
export function localInputValue(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// What a datetime-local input holds (local wall time) as the instant the API takes; null when empty or not a time.
export function instantFromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

// A new task is due tomorrow at 9:00 unless the person says otherwise.
export function defaultDueInput(now: Date = new Date()): string {
  return localInputValue(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0));
}

// "Overdue by 2 days", "in 3 hours": how a due time reads beside the exact one.
export function dueWords(dueAt: string, now: Date = new Date()): string {
  const minutes = Math.round((new Date(dueAt).getTime() - now.getTime()) / 60_000);
  const size = Math.abs(minutes);
  const days = Math.round(size / 1_440);
  const amount = size < 60 ? `${size} min` : size < 24 * 60 ? `${Math.round(size / 60)} h` : days === 1 ? '1 day' : `${days} days`;
  return minutes < 0 ? `overdue by ${amount}` : `in ${amount}`;
}

export interface TaskRecord {
  lead: { id: string; name: string; company: string } | null;
  opportunity: { id: string; name: string; accountName: string } | null;
}

// Where a task (or a notification) points: the record's page and its name as a rep knows it.
export function recordLink(item: TaskRecord): { href: string; label: string } | null {
  if (item.opportunity) return { href: `/opportunities/${item.opportunity.id}`, label: item.opportunity.name };
  if (item.lead) return { href: `/leads/${item.lead.id}`, label: `${item.lead.name} · ${item.lead.company}` };
  return null;
}

// The record a new task is planned on, as the select's value says it: "opportunity:<id>" or "lead:<id>".
export function targetOf(value: string): { leadId: string } | { opportunityId: string } | null {
  const [kind, id] = value.split(':');
  if (!id) return null;
  if (kind === 'lead') return { leadId: id };
  if (kind === 'opportunity') return { opportunityId: id };
  return null;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

// Notification texts name people by id (the services know no names): the reps the caller can see get their names back,
// anyone else (an admin, an analyst, a rep out of sight) is "another user" rather than a string of hex.
export const withNames = (text: string, names: ReadonlyMap<string, string>): string => text.replace(UUID, (id) => names.get(id) ?? 'another user');

export const badgeText = (unread: number): string => (unread > 99 ? '99+' : String(unread));

import { badInput, isUuid, LIST_LIMITS } from '@pipeline/domain';

export const DEFAULT_PAGE_SIZE = LIST_LIMITS.page.default;
export const MAX_PAGE_SIZE = LIST_LIMITS.page.max;

// Bounded page sizes: larger requests are refused rather than silently cut.
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be a whole number from 0 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

// Keyset cursors (sort value + id) keep pages stable while rows are inserted concurrently.
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

// What each cursor position must hold, so a hand-made cursor is refused here instead of failing a cast in SQL.
export type CursorValueKind = 'uuid' | 'timestamptz' | 'numeric' | 'date' | 'text';

const CURSOR_VALUE: Record<CursorValueKind, (value: unknown) => boolean> = {
  uuid: isUuid,
  timestamptz: (value) =>
    value === '-infinity' || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value))),
  numeric: (value) => typeof value === 'string' && /^-?\d{1,20}(\.\d{1,10})?$/.test(value),
  date: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
  text: (value) => typeof value === 'string' && value.length <= 200,
};

export function decodeCursor(cursor: string | null | undefined, kinds: readonly CursorValueKind[]): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  if (Array.isArray(values) && values.length === kinds.length && kinds.every((kind, index) => CURSOR_VALUE[kind](values[index]))) return values as string[];
  throw badInput('after', 'after is not a cursor returned by this list');
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function toConnection<T>(page: Page<T>, cursorOf: (item: T) => string): Connection<T> {
  const edges = page.items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
    totalCount: page.totalCount,
  };
}

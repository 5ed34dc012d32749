import { randomUUID } from 'node:crypto';

import { badInput } from './errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const newId = (): string => randomUUID();

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);

// Ids are opaque UUIDs; anything else cannot name a record, so it is bad input rather than not-found.
export function parseId(value: unknown, field: string): string {
  if (!isUuid(value)) {
    throw badInput(field, `${field} must be a UUID`);
  }
  return value.toLowerCase();
}

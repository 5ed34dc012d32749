import { badInput } from './errors';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// A calendar date (YYYY-MM-DD) that exists; kept as a string so no time zone can shift it.
export function parseDate(value: unknown, field: string): string {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  if (!match) {
    throw badInput(field, `${field} must be a date written YYYY-MM-DD`);
  }
  const [, year, month, day] = match.map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || year < 1900 || year > 2999) {
    throw badInput(field, `${field} is not a real calendar date`);
  }
  return value as string;
}

export function parseDateTime(value: unknown, field: string): Date {
  if (typeof value !== 'string' || !DATE_TIME_PATTERN.test(value)) {
    throw badInput(field, `${field} must be an ISO 8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z`);
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    throw badInput(field, `${field} is not a real date-time`);
  }
  return parsed;
}

export const toIsoDate = (date: Date): string => date.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const base = new Date(`${date}T00:00:00Z`);
  base.setUTCDate(base.getUTCDate() + days);
  return toIsoDate(base);
}

import { badInput, type Money, parseDate, parseId, parseMoney, parseText, requireText } from '@pipeline/domain';

export const parseName = (value: unknown, field: string): string => requireText(value, field, { maxLength: 200 });
export const parseOptionalText = (value: unknown, field: string, maxLength = 100): string | null => parseText(value, field, { maxLength });
export const parseOptionalMoney = (value: { amount: unknown; currency: unknown } | null | undefined, field: string): Money | null =>
  value ? parseMoney(value, field) : null;
export const parseOptionalDate = (value: unknown, field: string): string | null => (value === null || value === undefined ? null : parseDate(value, field));
export const parseOptionalId = (value: unknown, field: string): string | null => (value === null || value === undefined ? null : parseId(value, field));

export function parseExpectedVersion(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw badInput('expectedVersion', 'expectedVersion must be a whole number from 1');
  return value;
}

export function parseProbability(value: unknown, field = 'probability'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw badInput(field, `${field} must be between 0 and 1`);
  return Math.round(value * 10_000) / 10_000;
}

export function parseStageKey(value: unknown, field = 'toStage'): string {
  if (typeof value !== 'string' || !/^[A-Z][A-Z0-9_]{0,39}$/.test(value)) throw badInput(field, `${field} must be a stage key such as PROPOSAL`);
  return value;
}

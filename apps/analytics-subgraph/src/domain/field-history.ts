import type { Money } from '@pipeline/domain';

export type HistoryField =
  | 'NAME'
  | 'ACCOUNT_NAME'
  | 'INDUSTRY'
  | 'REGION'
  | 'AMOUNT'
  | 'PROBABILITY'
  | 'OWNER_ID'
  | 'OWNER_TEAM_ID'
  | 'EXPECTED_CLOSE_DATE'
  | 'STATUS';

// The API's names for the snapshot's field names.
export const HISTORY_FIELDS: Record<HistoryField, string> = {
  NAME: 'name',
  ACCOUNT_NAME: 'accountName',
  INDUSTRY: 'industry',
  REGION: 'region',
  AMOUNT: 'amount',
  PROBABILITY: 'probability',
  OWNER_ID: 'ownerId',
  OWNER_TEAM_ID: 'ownerTeamId',
  EXPECTED_CLOSE_DATE: 'expectedCloseDate',
  STATUS: 'status',
};

export interface FieldChangeView {
  field: HistoryField;
  previousValue: string | null;
  newValue: string | null;
  previousAmount: Money | null;
  newAmount: Money | null;
  daysSlipped: number | null;
}

const isMoney = (value: unknown): value is Money => typeof value === 'object' && value !== null && 'amount' in value && 'currency' in value;
const asText = (value: unknown): string | null =>
  value === null || value === undefined ? null : isMoney(value) ? `${value.amount} ${value.currency}` : String(value);
const DAY = 86_400_000;

// How a stored change reads: text for every field, money kept whole, and for the close date how far it moved.
export function describeFieldChange(field: string, previous: unknown, next: unknown): FieldChangeView | null {
  const name = (Object.keys(HISTORY_FIELDS) as HistoryField[]).find((key) => HISTORY_FIELDS[key] === field);
  if (!name) return null;
  const slip =
    name === 'EXPECTED_CLOSE_DATE' && typeof previous === 'string' && typeof next === 'string'
      ? Math.round((Date.parse(next) - Date.parse(previous)) / DAY)
      : null;
  return {
    field: name,
    previousValue: asText(previous),
    newValue: asText(next),
    previousAmount: isMoney(previous) ? previous : null,
    newAmount: isMoney(next) ? next : null,
    daysSlipped: slip,
  };
}

// Money stays a decimal string end to end: Intl formats the string itself, so no amount passes through a float.
export interface Money {
  amount: string;
  currency: string;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(money: Money | null | undefined, options: { compact?: boolean } = {}): string {
  if (!money) return '—';
  const key = `${money.currency}:${options.compact ? 'c' : 'f'}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      'en-GB',
      options.compact
        ? { style: 'currency', currency: money.currency, notation: 'compact', maximumFractionDigits: 1 }
        : { style: 'currency', currency: money.currency, minimumFractionDigits: 2 },
    );
    moneyFormats.set(key, format);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3); the cast is for TypeScript's older signature.
  return format.format(money.amount as unknown as number);
}

export const formatMoneyList = (list: readonly Money[], options: { compact?: boolean } = {}): string =>
  list.length === 0 ? '—' : list.map((money) => formatMoney(money, options)).join(' · ');

export const formatPercent = (rate: number | null | undefined, digits = 1): string =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;

export const formatDays = (days: number | null | undefined): string =>
  days === null || days === undefined ? '—' : `${days < 10 ? days.toFixed(1) : Math.round(days)} d`;

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export const formatDate = (value: string | null | undefined): string =>
  value ? dateFormat.format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value)) : '—';
export const formatDateTime = (value: string | null | undefined): string => (value ? dateTimeFormat.format(new Date(value)) : '—');

// "today", "3 days ago": how long since the last touch, the way a rep reads a card.
export function formatAgo(value: string | null | undefined, now: number = Date.now()): string {
  if (!value) return 'never';
  const days = Math.floor((now - new Date(value).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

export const humanize = (key: string): string => key.charAt(0) + key.slice(1).toLowerCase().replace(/_/g, ' ');

export const count = (n: number, singular: string, plural = `${singular}s`): string => `${n} ${n === 1 ? singular : plural}`;

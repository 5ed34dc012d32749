import Decimal from 'decimal.js';

import { badInput } from './errors';

// Money is a decimal string plus an ISO 4217 code; it never passes through a float.
export interface Money {
  amount: string;
  currency: string;
}

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Dec = Decimal;

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;
const MAX_INTEGER_DIGITS = 15;
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
const minorUnitCache = new Map<string, number>();

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}

// JPY has 0 minor digits, EUR 2, BHD 3: Intl knows ISO 4217's table, so we do not copy it.
export function minorUnits(currency: string): number {
  let digits = minorUnitCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitCache.set(currency, digits);
  }
  return digits;
}

export interface ParseDecimalOptions {
  allowNegative?: boolean;
  maxScale?: number;
  maxIntegerDigits?: number;
}

export function parseDecimal(value: unknown, field: string, options: ParseDecimalOptions = {}): Decimal {
  const { allowNegative = false, maxScale = 4, maxIntegerDigits = MAX_INTEGER_DIGITS } = options;
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value.trim())) {
    throw badInput(field, `${field} must be a decimal number written as a string, e.g. "12500.50"`);
  }
  const text = value.trim();
  const [integerPart, fraction = ''] = text.replace('-', '').split('.');
  if (integerPart.replace(/^0+(?=\d)/, '').length > maxIntegerDigits) {
    throw badInput(field, `${field} has more than ${maxIntegerDigits} integer digits`);
  }
  if (fraction.length > maxScale) {
    throw badInput(field, `${field} has more than ${maxScale} decimal places`);
  }
  const decimal = new Dec(text);
  if (!allowNegative && decimal.isNegative() && !decimal.isZero()) {
    throw badInput(field, `${field} must not be negative`);
  }
  return decimal;
}

export interface MoneyInputLike {
  amount: unknown;
  currency: unknown;
}

// Parses client input: a known currency and an amount no finer than the currency's minor unit (unless maxScale says).
export function parseMoney(input: MoneyInputLike, field: string, options: ParseDecimalOptions = {}): Money {
  const currency = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : '';
  if (!isCurrencyCode(currency)) {
    throw badInput(`${field}.currency`, `${field}.currency must be an ISO 4217 code such as "EUR"`);
  }
  const amount = parseDecimal(input.amount, `${field}.amount`, { maxScale: minorUnits(currency), ...options });
  return { amount: formatAmount(amount, currency, options.maxScale), currency };
}

export function formatAmount(amount: Decimal.Value, currency: string, scale = minorUnits(currency)): string {
  return new Dec(amount).toFixed(Math.max(scale, minorUnits(currency)), Decimal.ROUND_HALF_UP);
}

export function money(amount: Decimal.Value, currency: string): Money {
  return { amount: new Dec(amount).toFixed(minorUnits(currency), Decimal.ROUND_HALF_UP), currency };
}

export function roundToCurrency(amount: Decimal.Value, currency: string): Decimal {
  return new Dec(amount).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

export function zero(currency: string): Money {
  return money(0, currency);
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new Error(`Cannot add ${a.currency} to ${b.currency}: sums never mix currencies`);
  }
  return money(new Dec(a.amount).plus(b.amount), a.currency);
}

// One entry per currency, ordered by currency code, so totals never mix currencies.
export function sumByCurrency(items: Iterable<Money>): Money[] {
  const totals = new Map<string, Decimal>();
  for (const item of items) {
    totals.set(item.currency, (totals.get(item.currency) ?? new Dec(0)).plus(item.amount));
  }
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => money(total, currency));
}

// Percentages arrive as GraphQL Floats; reading them through their shortest decimal text keeps 12.5 exact.
export function percentToDecimal(percent: number, field: string, maxScale = 4): Decimal {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) {
    throw badInput(field, `${field} must be a finite number`);
  }
  if (percent < 0 || percent > 100) {
    throw badInput(field, `${field} must be between 0 and 100`);
  }
  const decimal = new Dec(String(percent));
  if (decimal.decimalPlaces() > maxScale) {
    throw badInput(field, `${field} has more than ${maxScale} decimal places`);
  }
  return decimal;
}

import { badInput } from './errors';

export interface TextRule {
  required?: boolean;
  maxLength?: number;
  pattern?: RegExp;
  patternMessage?: string;
}

// Trims and bounds free text: empty means absent, oversized input is refused instead of stored.
export function parseText(value: unknown, field: string, rule: TextRule = {}): string | null {
  const { required = false, maxLength = 500 } = rule;
  if (value === undefined || value === null) {
    if (required) throw badInput(field, `${field} is required`);
    return null;
  }
  if (typeof value !== 'string') throw badInput(field, `${field} must be text`);
  const text = value.trim();
  if (text.length === 0) {
    if (required) throw badInput(field, `${field} must not be empty`);
    return null;
  }
  if (text.length > maxLength) throw badInput(field, `${field} must be at most ${maxLength} characters`);
  if (hasControlCharacters(text)) throw badInput(field, `${field} contains control characters`);
  if (rule.pattern && !rule.pattern.test(text)) throw badInput(field, rule.patternMessage ?? `${field} is not in the expected format`);
  return text;
}

// Tabs and line breaks are text; other C0 control characters are not.
const hasControlCharacters = (text: string): boolean =>
  [...text].some((char) => {
    const code = char.charCodeAt(0);
    return code < 32 && code !== 9 && code !== 10 && code !== 13;
  });

export function requireText(value: unknown, field: string, rule: Omit<TextRule, 'required'> = {}): string {
  return parseText(value, field, { ...rule, required: true }) as string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(value: unknown, field: string, required = false): string | null {
  const text = parseText(value, field, { required, maxLength: 254, pattern: EMAIL_PATTERN, patternMessage: `${field} must be an email address` });
  return text === null ? null : text.toLowerCase();
}

export function parseInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badInput(field, `${field} must be a whole number`);
  if (value < min || value > max) throw badInput(field, `${field} must be between ${min} and ${max}`);
  return value;
}

export function parseStringList(value: unknown, field: string, maxItems = 50, maxLength = 100): string[] {
  if (!Array.isArray(value)) throw badInput(field, `${field} must be a list`);
  if (value.length > maxItems) throw badInput(field, `${field} must have at most ${maxItems} entries`);
  const items = value.map((item, index) => requireText(item, `${field}[${index}]`, { maxLength }));
  return [...new Set(items)];
}

// A spreadsheet runs a cell that starts with =, +, -, @, tab or carriage return as a formula (OWASP "CSV
// injection"); a leading apostrophe makes it text. Plain negative numbers stay numbers.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) && !NEGATIVE_NUMBER.test(text) ? `'${text}` : text);

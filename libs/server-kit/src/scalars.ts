import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;

function stringLiteral(ast: ValueNode, name: string): string {
  if (ast.kind !== Kind.STRING) throw invalid(`${name} must be written as a string`);
  return ast.value;
}

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid('DateTime must be ISO 8601 with an offset, e.g. 2026-11-26T10:00:00Z');
  }
  return value;
}

function parseDateValue(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw invalid('Date must be written YYYY-MM-DD');
  }
  return value;
}

function parseDecimalValue(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) {
    throw invalid('Decimal must be a base-10 number written as a string, e.g. "12500.50"');
  }
  return value.trim();
}

// DateTime goes out as ISO 8601 UTC; it comes in as a string with an explicit offset.
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'ISO 8601 date-time with offset',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(stringLiteral(ast, 'DateTime')),
});

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'Calendar date YYYY-MM-DD',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)),
  parseValue: parseDateValue,
  parseLiteral: (ast) => parseDateValue(stringLiteral(ast, 'Date')),
});

// Decimals never become floats: they travel as strings in and out.
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'Base-10 number as a string',
  serialize: (value) => String(value),
  parseValue: parseDecimalValue,
  parseLiteral: (ast) => parseDecimalValue(stringLiteral(ast, 'Decimal')),
});

export const scalarResolvers = { DateTime: DateTimeScalar, Date: DateScalar, Decimal: DecimalScalar };

import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

// Input scalars pass their raw value to the use cases, which validate it with the field's name (BAD_USER_INPUT with
// extensions.field). Throwing here would turn a bad value into an HTTP 400 of the whole subgraph request instead.
function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.BOOLEAN:
      return ast.value;
    default:
      return undefined;
  }
}

// DateTime goes out as ISO 8601 UTC.
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'ISO 8601 date-time with offset',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => value,
  parseLiteral: literal,
});

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'Calendar date YYYY-MM-DD',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)),
  parseValue: (value) => value,
  parseLiteral: literal,
});

// Decimals never become floats: they travel as strings in and out.
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'Base-10 number as a string',
  serialize: (value) => String(value),
  parseValue: (value) => value,
  parseLiteral: literal,
});

export const scalarResolvers = { DateTime: DateTimeScalar, Date: DateScalar, Decimal: DecimalScalar };

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Supergraph } from '@apollo/federation-internals';
import { workspaceRoot } from '@pipeline/dev-infra';
import { withDatabase } from '@pipeline/persistence';
import { adminActor, expectNoErrors, type GraphQLCall, type GraphQLResponse, waitForQuiet } from '@pipeline/testing';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  type GraphQLInputType,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  printSchema,
} from 'graphql';
import { Client } from 'pg';

import { callAs, topicPrefix } from './e2e-env';

// Every mutation of the public API, fed invalid values generated from the schema itself: each case must get a clear
// error with a contract code, no 5xx, no stack trace or SQL in the message, and nothing may be written anywhere.
const schema = buildSchema(
  printSchema(
    Supergraph.build(fs.readFileSync(path.join(workspaceRoot(), 'apps', 'gateway', 'supergraph.graphql'), 'utf8'))
      .apiSchema()
      .toGraphQLJSSchema(),
  ),
);
const CONTRACT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'STAGE_GATE_FAILED',
  'APPROVAL_REQUIRED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
]);
const LEAKS =
  /\bat \S+ \(|\bSELECT\b|\bINSERT\b|\bUPDATE\b.*\bSET\b|\bDELETE FROM\b|relation "|syntax error|QueryFailedError|TypeError|ReferenceError|node_modules/;
const MEGABYTE = 'x'.repeat(1024 * 1024);

// Values that are wrong for every field of their type (so a case never succeeds by accident).
const HOSTILE: Record<string, unknown[]> = {
  String: [MEGABYTE, 'bad\u0000control\u0001chars', { an: 'object' }, 42],
  ID: ['not-a-uuid', "1' OR '1'='1", '00000000-0000-0000-0000-000000000000', ''],
  Int: [-2147483648, 2147483647, 1.5, '7', 1e20],
  Float: [1e308, -1e308, -0.000001, 'NaN', '1'],
  Boolean: ['true', 1, { yes: true }],
  Decimal: ['NaN', '1e999', '-1', '1.2.3', '123456789012345678901234567890', 12.5, 'Infinity'],
  Date: ['2026-02-30', '31/12/2026', 'tomorrow', '2026-1-1'],
  DateTime: ['2026-11-26T25:61:00Z', 'yesterday', '2026-11-26', '2026-11-26T10:00:00'],
  Enum: ['NOT_AN_ENUM_VALUE', 'lowercase', 3],
};

function validValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return validValue(type.ofType);
  if (isListType(type)) return [validValue(type.ofType)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, validValue(field.type)]),
    );
  }
  if (isEnumType(type)) return type.getValues()[0].value;
  const samples: Record<string, unknown> = {
    String: 'Plain value',
    ID: randomUUID(),
    Int: 1,
    Float: 0.5,
    Boolean: true,
    Decimal: '10.00',
    Date: '2030-01-15',
    DateTime: '2026-11-01T10:00:00Z',
  };
  return samples[(type as GraphQLNamedType).name];
}

interface Leaf {
  path: Array<string | number>;
  type: GraphQLNamedType;
}

function leaves(type: GraphQLInputType, prefix: Array<string | number> = [], depth = 0): Leaf[] {
  const named = getNamedType(type);
  if (depth > 4) return [];
  if (isInputObjectType(named)) {
    return Object.values(named.getFields()).flatMap((field) => {
      const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
      const here = [...prefix, field.name, ...(isListType(inner) ? [0] : [])];
      return leaves(field.type, here, depth + 1);
    });
  }
  return [{ path: prefix, type: named }];
}

function poisoned(base: unknown, leaf: Leaf, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let cursor = copy;
  leaf.path.forEach((key, index) => {
    if (index === leaf.path.length - 1) {
      cursor[key] = value;
      return;
    }
    if (cursor[key] === undefined || cursor[key] === null) cursor[key] = typeof leaf.path[index + 1] === 'number' ? [{}] : {};
    cursor = cursor[key] as Record<string | number, unknown>;
  });
  return copy;
}

async function tableCounts(database: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: database });
  await client.connect();
  try {
    const tables: Array<{ table_name: string }> = (
      await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
    ).rows;
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) counts[table_name] = (await client.query(`SELECT count(*)::int AS count FROM "${table_name}"`)).rows[0].count;
    return counts;
  } finally {
    await client.end();
  }
}

const databases = () =>
  ['lead', 'opportunity', 'deal', 'analytics'].map((service) =>
    withDatabase(process.env.TEST_DATABASE_URL as string, `${process.env.E2E_DATABASE_PREFIX}_${service}`),
  );
const everything = async () => Object.fromEntries(await Promise.all(databases().map(async (url) => [url, await tableCounts(url)])));
const settle = () =>
  waitForQuiet({ databaseUrls: databases().slice(0, 3), brokers: process.env.KAFKA_BROKERS as string, topicPrefix: topicPrefix(), timeoutMs: 120_000 });

// Imports refuse row by row in their payload (a report), the rest with GraphQL errors.
const REPORTING = new Set(['importLeads', 'importOpportunities']);

function problemsOf(mutation: string, response: GraphQLResponse<any>): string[] {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  const report = response.data?.[mutation];
  const refusedInReport = REPORTING.has(mutation) && report && report.created === 0 && (report.errors?.length ?? report.rejected) > 0;
  if (!response.errors?.length && !refusedInReport) problems.push('no error: the hostile input was accepted');
  for (const error of response.errors ?? []) {
    const code = String(error.extensions?.code);
    if (!CONTRACT_CODES.has(code)) problems.push(`code ${code}: ${error.message.slice(0, 200)}`);
    if (LEAKS.test(error.message)) problems.push(`leaks internals: ${error.message.slice(0, 200)}`);
    if (error.extensions && 'stacktrace' in error.extensions) problems.push('stacktrace in extensions');
  }
  return problems;
}

describe('hostile input to every mutation', () => {
  let admin: GraphQLCall;
  const tried: string[] = [];

  beforeAll(async () => {
    admin = await callAs(adminActor());
  });

  afterAll(() => {
    console.log(
      `hostile input: ${tried.length} generated cases over ${new Set(tried.map((entry) => entry.split(' ')[0])).size} mutations, all refused with contract codes`,
    );
  });

  it('refuses generated invalid values with contract codes, leaks nothing and writes nothing', async () => {
    // Arrange
    await settle();
    const before = await everything();
    const mutations = Object.values(schema.getMutationType()?.getFields() ?? {}).filter((field) => field.args.some((argument) => argument.name === 'input'));
    expect(mutations.map((field) => field.name)).toEqual(
      expect.arrayContaining([
        'createSalesRep',
        'createLead',
        'qualifyLead',
        'assignLead',
        'createOpportunity',
        'convertLead',
        'moveOpportunityStage',
        'logActivity',
        'createProposal',
        'sendProposal',
        'setDealTerms',
        'decideDiscountApproval',
        'recordCommitment',
        'closeDeal',
      ]),
    );
    const failures: string[] = [];

    // Act
    for (const mutation of mutations) {
      const input = mutation.args.find((argument) => argument.name === 'input');
      if (!input) continue;
      const selection =
        mutation.name === 'importLeads'
          ? '{ created rejected }'
          : mutation.name === 'importOpportunities'
            ? '{ created errors { message } }'
            : '{ __typename }';
      const document = `mutation($input: ${String(input.type)}) { ${mutation.name}(input: $input) ${selection} }`;
      const targets = leaves(input.type);
      const base = validValue(input.type);
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...targets)
            .chain((leaf) => fc.tuple(fc.constant(leaf), fc.constantFrom(...(HOSTILE[isEnumType(leaf.type) ? 'Enum' : leaf.type.name] ?? HOSTILE.String)))),
          async ([leaf, value]) => {
            const response = await admin(document, { input: poisoned(base, leaf, value) });
            tried.push(`${mutation.name} ${leaf.path.join('.')}`);
            const problems = problemsOf(mutation.name, response);
            if (problems.length > 0) failures.push(`${mutation.name}.${leaf.path.join('.')} = ${JSON.stringify(value)?.slice(0, 60)}: ${problems.join('; ')}`);
            return true;
          },
        ),
        { numRuns: 12, seed: 20_261_126 },
      );
    }
    await settle();

    // Assert
    expect(failures).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('treats SQL-looking search text as text: % and _ match only themselves', async () => {
    // Arrange: pairs of records an unescaped wildcard would both match
    const tag = randomUUID().slice(0, 8);
    const names = [`${tag} 100% Co`, `${tag} 1000 Co`, `${tag} Under_score`, `${tag} UnderXscore`];
    for (const company of names) {
      expectNoErrors(
        await admin(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
          input: { name: 'Probe', company, source: 'OTHER', allowDuplicate: true },
        }),
      );
      expectNoErrors(
        await admin(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
          input: { name: company, accountName: company },
        }),
      );
    }
    const count = async (search: string) => {
      const data = expectNoErrors(
        await admin<any>(
          `query($search: String) { leads(filter: { search: $search }) { totalCount } opportunities(filter: { search: $search }) { totalCount } }`,
          { search },
        ),
      );
      return [data.leads.totalCount, data.opportunities.totalCount];
    };

    // Act
    const percent = await count(`${tag} 100%`);
    const underscore = await count(`${tag} Under_`);
    const injected = await count(`${tag}' OR 1=1 --`);

    // Assert
    expect(percent).toEqual([1, 1]);
    expect(underscore).toEqual([1, 1]);
    expect(injected).toEqual([0, 0]);
    expect(await count(`${tag}`)).toEqual([4, 4]);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { canListen, workspaceRoot } from '@pipeline/dev-infra';
import { IDENTITY_HEADER, LOCAL_INTERNAL_SECRET, signIdentityToken } from '@pipeline/server-kit';
import { adminActor, expectNoErrors } from '@pipeline/testing';
import autocannon from 'autocannon';
import { Pool } from 'pg';

import { type BenchResult, result, round } from './bench-kit';
import type { BenchStack } from './bench-stack';
import { benchLoad } from './load.bench';

// The three reads of issue 13, each through our gateway, Hive Gateway (JS and Rust planner) and the subgraph directly.
const ONE_FIELD = '{ stageCriteria { key } }';
const LIST = '{ opportunities(first: 50) { edges { node { id name amount { amount currency } owner { id name } lead { id company } deal { id outcome } } } } }';
const LIST_FIRST_FETCH = '{ opportunities(first: 50) { edges { node { id name amount { amount currency } owner { id } lead { id } } } } }';
const BOARD =
  '{ pipelineBoard(cardsPerStage: 10) { columns { stage { key } count amount { amount currency } cards { id name amount { amount currency } owner { id } } } } }';
const LEAD_ENTITIES =
  'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on SalesRep { id name } ... on Lead { id company } } }';
const DEAL_ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Opportunity { deal { id outcome } } } }';

type TargetName = 'ours' | 'hiveRust' | 'hiveJs' | 'direct';
const TARGETS: TargetName[] = ['ours', 'hiveRust', 'hiveJs', 'direct'];

interface Target {
  url: string;
  // Our gateway takes the user's token; Hive and the subgraphs get the signed identity our gateway would send.
  headers(): Promise<Record<string, string>>;
}

interface Run {
  rate: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function cannon(url: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<Run> {
  const outcome = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, connections, duration: seconds }, (error, value) =>
      error ? reject(error) : resolve(value),
    );
  });
  // Completed requests over the run's length: the per-second average of autocannon drops seconds without a completion.
  return {
    rate: round(outcome.requests.total / outcome.duration),
    p50: outcome.latency.p50,
    p99: outcome.latency.p99,
    non2xx: outcome.non2xx,
    errors: outcome.errors + outcome.timeouts,
  };
}

async function post(url: string, headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port += 1) if (await canListen(port)) return port;
  throw new Error(`no free port from ${from}`);
}

const rssMb = (pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null => {
  if (!pid) return null;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
};

// Hive Gateway from tools/bench/hive-gateway.mjs on the same supergraph, pointed at this stack's subgraphs.
async function startHive(planner: 'js' | 'rust', supergraphPath: string, port: number, logDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(workspaceRoot(), 'tools', 'bench', 'hive-gateway.mjs')], {
    cwd: workspaceRoot(),
    env: { ...process.env, NODE_ENV: 'production', HIVE_PLANNER: planner, PORT: String(port), SUPERGRAPH_PATH: supergraphPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(logDir, `hive-${planner}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Hive Gateway (${planner}) exited during start-up; see ${logDir}`);
    const ok = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return child;
    if (Date.now() > deadline) throw new Error(`Hive Gateway (${planner}) not ready within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// SIGTERM, then SIGKILL if it is still there after 10 s; resolves when the process has exited.
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// 60 opportunities converted from leads, each with an owner, its lead and a deal (a proposal): the page of 50 needs all four fetches.
async function seed(stack: BenchStack): Promise<void> {
  const stamp = Date.now().toString(36);
  const reps: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    reps.push(
      expectNoErrors(
        await stack.admin<any>('mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }', {
          input: {
            name: `Peer Rep ${index}`,
            email: `peer.rep${index}.${stamp}@example.com`,
            role: 'REP',
            teamId: 'emea',
            regions: ['DE'],
            industries: ['Software'],
            capacity: 100,
          },
        }),
      ).createSalesRep.salesRep.id,
    );
  }
  await stack.waitForQuiet();
  const opportunityIds: string[] = [];
  for (let index = 0; index < 60; index += 1) {
    const leadId = expectNoErrors(
      await stack.admin<any>('mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }', {
        input: {
          name: `Peer contact ${index}`,
          company: `Peer company ${stamp} ${index}`,
          email: `peer${index}.${stamp}@example.com`,
          source: 'REFERRAL',
          ownerId: reps[index % reps.length],
        },
      }),
    ).createLead.lead.id;
    expectNoErrors(
      await stack.admin('mutation($input: QualifyLeadInput!) { qualifyLead(input: $input) { lead { status } } }', {
        input: { leadId, hasBudget: true, isDecisionMaker: true, needConfirmed: true, need: 'Pipeline visibility', expectedPurchaseDate: '2027-03-31' },
      }),
    );
    opportunityIds.push(
      expectNoErrors(
        await stack.admin<any>('mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id } } }', {
          input: { leadId, amount: { amount: String(5_000 + index * 250), currency: 'EUR' }, expectedCloseDate: '2027-06-30' },
        }),
      ).convertLead.opportunity.id,
    );
  }
  // The deal service knows an opportunity from its events.
  await stack.waitForQuiet();
  for (const opportunityId of opportunityIds) {
    expectNoErrors(
      await stack.admin('mutation($input: CreateProposalInput!) { createProposal(input: $input) { deal { id } } }', {
        input: { opportunityId, lineItems: [{ description: 'Licences', quantity: 10, unitPrice: { amount: '500', currency: 'EUR' } }] },
      }),
    );
  }
  await stack.waitForQuiet();
}

// The statements each subgraph runs for these reads, written out, run through `pg` alone, and EXPLAIN ANALYZEd.
interface HotSql {
  service: 'opportunity' | 'lead' | 'deal';
  name: string;
  statements: Array<{ sql: string; params: unknown[] }>;
}

// Written out as the services send them (an admin caller: visibility is `true`), so the comparison is like for like.
const OPPORTUNITY_COLUMNS = `o.id, o.name, o.account_name, o.account_id, o.industry, o.region, o.amount, o.currency, o.pipeline_id, o.stage_key,
  o.stage_entered_at, o.status, o.probability_override, o.expected_close_date::text AS expected_close_date, o.owner_id, owner.team_id AS owner_team_id,
  o.lead_id, o.lead_source, o.external_id, o.deferred_until::text AS deferred_until, o.archived_at, o.archived_reason, o.lost_reason, o.version,
  o.stage_sequence, o.last_activity_at, o.created_at, o.updated_at, o.closed_at`;
const OPPORTUNITY_FROM = 'opportunity o LEFT JOIN rep_snapshot owner ON owner.id = o.owner_id';
const LEAD_COLUMNS = `lead.id, lead.external_id, lead.name, lead.email, lead.phone, lead.company, lead.industry, lead.region, lead.source,
  lead.source_detail, lead.status, lead.computed_score, lead.score_factors, lead.score_method, lead.score_model_version, lead.score_override,
  lead.score_override_reason, lead.owner_id, owner.team_id AS owner_team_id, lead.assignment_reason, lead.assigned_at, lead.estimated_value_amount,
  lead.estimated_value_currency, lead.qualification, lead.opportunity_id, lead.version, lead.last_activity_at, lead.archived_at, lead.archived_reason,
  lead.merged_into_lead_id, lead.merged_at, lead.created_at, lead.updated_at`;
const REP_COLUMNS =
  'rep.id, rep.name, rep.email, rep.role, rep.team_id, rep.regions, rep.industries, rep.capacity, rep.active, rep.version, rep.last_assigned_at, rep.created_at, rep.updated_at';
const DEAL_COLUMNS = `deal.id, deal.opportunity_id, deal.discount_percent, deal.payment_terms_days, deal.contract_length_months, deal.outcome,
  deal.lost_reason, deal.close_note, deal.closed_at, deal.closed_by, deal.deferred_until::text AS deferred_until, deal.competitor, deal.version,
  deal.created_at, deal.updated_at`;

function hotStatements(opportunityIds: string[], leadIds: string[], repIds: string[], pipelineId: string): HotSql[] {
  const visible = 'true AND o.archived_at IS NULL';
  return [
    {
      service: 'opportunity',
      name: 'opportunity page (count + 51 rows)',
      statements: [
        { sql: `SELECT count(*)::int AS count FROM opportunity o  WHERE ${visible}`, params: [] },
        { sql: `SELECT ${OPPORTUNITY_COLUMNS} FROM ${OPPORTUNITY_FROM}  WHERE ${visible} ORDER BY o.created_at DESC, o.id DESC LIMIT $1`, params: [51] },
      ],
    },
    {
      service: 'lead',
      name: 'lead _entities batch (50 reps + 50 leads)',
      statements: [
        { sql: `SELECT ${REP_COLUMNS} FROM sales_rep rep WHERE rep.id = ANY($1::uuid[])`, params: [repIds] },
        { sql: `SELECT ${LEAD_COLUMNS} FROM lead LEFT JOIN sales_rep owner ON owner.id = lead.owner_id WHERE lead.id = ANY($1::uuid[])`, params: [leadIds] },
      ],
    },
    {
      service: 'deal',
      name: 'deal _entities batch (50 opportunities)',
      statements: [
        { sql: `SELECT ${DEAL_COLUMNS} FROM deal WHERE deal.opportunity_id = ANY($1::uuid[])`, params: [opportunityIds] },
        {
          sql: `SELECT o.id, o.version, o.name, o.account_name, o.status, o.stage, o.owner_id, owner.team_id AS owner_team_id, o.lead_id,
  o.archived, o.amount, o.currency FROM opportunity_snapshot o LEFT JOIN rep_snapshot owner ON owner.id = o.owner_id WHERE o.id = ANY($1::uuid[])`,
          params: [opportunityIds],
        },
      ],
    },
    {
      service: 'opportunity',
      name: 'board (pipeline + aggregate + ranked cards)',
      statements: [
        {
          sql: `SELECT p.id, p.name, p.is_default, p.version, s.key, s.name AS stage_name, s.position, s.probability, s.category, s.entry_criteria, s.exit_criteria,
            s.stalled_after_days, s.automation_trigger, s.active, s.guidance, s.objection_notes
       FROM pipeline p LEFT JOIN pipeline_stage s ON s.pipeline_id = p.id
      WHERE p.is_default ORDER BY p.is_default DESC, p.name ASC, p.id, s.position`,
          params: [],
        },
        {
          sql: `SELECT o.stage_key, o.currency, count(*)::int AS count, sum(o.amount) AS amount, sum(o.amount * coalesce(o.probability_override, ps.probability)) AS weighted
         FROM opportunity o LEFT JOIN pipeline_stage ps ON ps.pipeline_id = o.pipeline_id AND ps.key = o.stage_key WHERE ${visible} AND o.pipeline_id = $1::uuid GROUP BY o.stage_key, o.currency`,
          params: [pipelineId],
        },
        {
          sql: `SELECT * FROM (SELECT ${OPPORTUNITY_COLUMNS}, row_number() OVER (PARTITION BY o.stage_key ORDER BY o.created_at DESC, o.id DESC) AS card_rank
                        FROM ${OPPORTUNITY_FROM}  WHERE ${visible} AND o.pipeline_id = $1::uuid) ranked
        WHERE card_rank <= $2 ORDER BY stage_key, card_rank`,
          params: [pipelineId, 10],
        },
      ],
    },
  ];
}

async function sqlAlone(pool: Pool, hot: HotSql, seconds: number, connections: number): Promise<{ rate: number; plans: string[] }> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        for (const statement of hot.statements) await pool.query(statement.sql, statement.params);
        done += 1;
      }
    }),
  );
  const plans: string[] = [];
  for (const statement of hot.statements) {
    const rows: Array<{ 'QUERY PLAN': string }> = (await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params)).rows;
    plans.push(`${statement.sql}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}`);
  }
  return { rate: round(done / seconds), plans };
}

type PageNode = { id: string; owner: { id: string } | null; lead: { id: string } | null; deal: { id: string } | null };

// Each subgraph's part of the list and the board, straight to it, against its statements alone through `pg`.
async function measureParts(
  stack: BenchStack,
  pools: Record<string, Pool>,
  nodes: PageNode[],
  identity: () => Promise<Record<string, string>>,
  seconds: number,
  connections: number,
  rounds: number,
) {
  const services = stack.stack.services;
  const repIds = [...new Set(nodes.map((node) => node.owner?.id as string))];
  const leadIds = nodes.map((node) => node.lead?.id as string);
  const opportunityIds = nodes.map((node) => node.id);
  const pipelineId = (await pools.opportunity.query('SELECT id FROM pipeline WHERE is_default LIMIT 1')).rows[0].id as string;
  const subgraphParts: Array<{ hot: HotSql; url: string; query: string; variables?: Record<string, unknown> }> = hotStatements(
    opportunityIds,
    leadIds,
    repIds,
    pipelineId,
  ).map((hot, index) => {
    if (index === 0) return { hot, url: services.opportunity.url, query: LIST_FIRST_FETCH };
    if (index === 1)
      return {
        hot,
        url: services.lead.url,
        query: LEAD_ENTITIES,
        variables: {
          representations: [...nodes.map((node) => ({ __typename: 'SalesRep', id: node.owner?.id })), ...leadIds.map((id) => ({ __typename: 'Lead', id }))],
        },
      };
    if (index === 2)
      return {
        hot,
        url: services.deal.url,
        query: DEAL_ENTITIES,
        variables: { representations: opportunityIds.map((id) => ({ __typename: 'Opportunity', id })) },
      };
    return { hot, url: services.opportunity.url, query: BOARD };
  });
  const parts = [];
  for (const part of subgraphParts) {
    const body = JSON.stringify({ query: part.query, variables: part.variables });
    const check = await post(part.url, await identity(), part.query, part.variables);
    if (check.errors) throw new Error(`${part.hot.name}: ${JSON.stringify(check.errors)}`);
    // Alternating subgraph and SQL runs, so drift in the machine's load reaches both sides of the ratio.
    const subgraphRuns: Run[] = [];
    const sqlRates: number[] = [];
    let plans: string[] = [];
    for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
      subgraphRuns.push(await cannon(part.url, await identity(), body, seconds, connections));
      const sql = await sqlAlone(pools[part.hot.service], part.hot, seconds, connections);
      sqlRates.push(sql.rate);
      plans = sql.plans;
    }
    const subgraphRate = median(subgraphRuns.map((run) => run.rate));
    const sqlRate = median(sqlRates);
    parts.push({
      name: part.hot.name,
      subgraphRate,
      subgraphP99: median(subgraphRuns.map((run) => run.p99)),
      sqlRate,
      subgraphOverSql: round(subgraphRate / sqlRate, 3),
      runs: { subgraph: subgraphRuns.map((run) => run.rate), sql: sqlRates },
      plans,
    });
  }

  return parts;
}

// Only the subgraphs against their SQL (`--parts-only`): short runs while working on a subgraph's read path.
async function benchSubgraphParts(stack: BenchStack, seconds: number, connections: number, rounds: number): Promise<BenchResult> {
  const pools = Object.fromEntries(
    ['opportunity', 'lead', 'deal'].map((service) => [service, new Pool({ connectionString: stack.databaseUrl(service), max: 10 })]),
  );
  try {
    const identity = async () => ({ [IDENTITY_HEADER]: await signIdentityToken(adminActor(), LOCAL_INTERNAL_SECRET) });
    const page = await post(stack.gatewayUrl, { authorization: `Bearer ${stack.token}` }, LIST);
    const nodes: PageNode[] = page.data?.opportunities.edges.map((edge: { node: unknown }) => edge.node) ?? [];
    if (page.errors || nodes.length !== 50) throw new Error(`the 50-row page is not complete: ${JSON.stringify(page).slice(0, 500)}`);
    const parts = await measureParts(stack, pools, nodes, identity, seconds, connections, rounds);
    const conditions = {
      cpus: os.cpus().length,
      loadAverageAtEnd: os.loadavg().map((value) => round(value)),
      connections,
      secondsPerRun: seconds,
      rounds,
      note: 'shared machine: other work ran beside the bench',
    };
    return result('peers-subgraph-vs-sql', 'ratio', Math.min(...parts.map((part) => part.subgraphOverSql)), 'SQL alone', 1, { parts, conditions });
  } finally {
    await Promise.all(Object.values(pools).map((pool) => pool.end()));
  }
}

// Issue 13's side-by-side, in one run on the production bundles: per query, rounds of 16 connections alternating
// between the targets; ratios of medians. Then each subgraph's part against its SQL alone, the load mix, and memory.
export async function benchPeers(
  stack: BenchStack,
  options: { seconds?: number; rounds?: number; connections?: number; loadSeconds?: number; partsOnly?: boolean } = {},
): Promise<BenchResult[]> {
  const { seconds = 8, rounds = 3, connections = 16, loadSeconds = 30, partsOnly = false } = options;
  await seed(stack);
  if (partsOnly) return [await benchSubgraphParts(stack, seconds, connections, rounds)];
  const services = stack.stack.services;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peers-bench-'));
  let supergraph = fs.readFileSync(path.join(workspaceRoot(), 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
  for (const name of ['lead', 'opportunity', 'deal', 'analytics'])
    supergraph = supergraph.replace(new RegExp(`(name: "${name}", url: ")[^"]+`), `$1${services[name].url}`);
  const supergraphPath = path.join(logDir, 'supergraph.graphql');
  fs.writeFileSync(supergraphPath, supergraph);
  const rustPort = await freePort(services.gateway.port + 20);
  const hiveRust = await startHive('rust', supergraphPath, rustPort, logDir);
  const jsPort = await freePort(rustPort + 1);
  const hiveJs = await startHive('js', supergraphPath, jsPort, logDir);
  const pids: Record<string, number | undefined> = {
    ...Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.child?.pid])),
    hiveRust: hiveRust.pid,
    hiveJs: hiveJs.pid,
  };
  const pools = Object.fromEntries(
    ['opportunity', 'lead', 'deal'].map((service) => [service, new Pool({ connectionString: stack.databaseUrl(service), max: 10 })]),
  );
  try {
    const actor = adminActor();
    const identity = async () => ({ [IDENTITY_HEADER]: await signIdentityToken(actor, LOCAL_INTERNAL_SECRET) });
    const targets: Record<TargetName, Target> = {
      ours: { url: stack.gatewayUrl, headers: async () => ({ authorization: `Bearer ${stack.token}` }) },
      hiveRust: { url: `http://127.0.0.1:${rustPort}/graphql`, headers: identity },
      hiveJs: { url: `http://127.0.0.1:${jsPort}/graphql`, headers: identity },
      direct: { url: services.opportunity.url, headers: identity },
    };
    const queries = {
      oneField: { gateway: ONE_FIELD, direct: ONE_FIELD },
      list: { gateway: LIST, direct: LIST_FIRST_FETCH },
      board: { gateway: BOARD, direct: BOARD },
    };

    // Same answers from every gateway, and the page really spans four fetches, before anything is timed.
    const page = await post(targets.ours.url, await targets.ours.headers(), LIST);
    const nodes: PageNode[] = page.data?.opportunities.edges.map((edge: { node: unknown }) => edge.node) ?? [];
    if (page.errors || nodes.length !== 50 || nodes.some((node) => !node.owner || !node.lead || !node.deal))
      throw new Error(`the 50-row page is not complete: ${JSON.stringify(page).slice(0, 500)}`);
    for (const name of ['hiveRust', 'hiveJs'] as const) {
      for (const query of Object.values(queries)) {
        const [ours, theirs] = [
          await post(targets.ours.url, await targets.ours.headers(), query.gateway),
          await post(targets[name].url, await targets[name].headers(), query.gateway),
        ];
        if (!isDeepStrictEqual(ours, theirs)) throw new Error(`${name} answers ${query.gateway} differently: ${JSON.stringify(theirs).slice(0, 500)}`);
      }
    }

    const idle = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));
    const runs: Record<string, Record<TargetName, Run[]>> = {};
    for (const [queryName, query] of Object.entries(queries)) {
      runs[queryName] = { ours: [], hiveRust: [], hiveJs: [], direct: [] };
      for (const target of TARGETS)
        await cannon(
          targets[target].url,
          await targets[target].headers(),
          JSON.stringify({ query: target === 'direct' ? query.direct : query.gateway }),
          2,
          connections,
        );
      for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
        // Alternating, and each round in another order, so drift in the machine's load spreads over all targets.
        const order = roundIndex % 2 === 0 ? TARGETS : [...TARGETS].reverse();
        for (const target of order) {
          runs[queryName][target].push(
            await cannon(
              targets[target].url,
              await targets[target].headers(),
              JSON.stringify({ query: target === 'direct' ? query.direct : query.gateway }),
              seconds,
              connections,
            ),
          );
        }
      }
    }

    const parts = await measureParts(stack, pools, nodes, identity, seconds, connections, rounds);

    // The load mix through our gateway while memory is sampled.
    const peak: Record<string, number> = {};
    const sampler = setInterval(() => {
      for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name] ?? 0, rssMb(pid) ?? 0);
    }, 250);
    const load = await benchLoad(stack, loadSeconds, connections).finally(() => clearInterval(sampler));

    const rate = (query: string, target: TargetName) => median(runs[query][target].map((run) => run.rate));
    const p99 = (query: string, target: TargetName) => median(runs[query][target].map((run) => run.p99));
    const ratios = Object.fromEntries(
      Object.keys(queries).map((query) => [
        query,
        {
          ours: rate(query, 'ours'),
          hiveRust: rate(query, 'hiveRust'),
          hiveJs: rate(query, 'hiveJs'),
          direct: rate(query, 'direct'),
          oursOverHiveRust: round(rate(query, 'ours') / rate(query, 'hiveRust'), 3),
          oursOverHiveJs: round(rate(query, 'ours') / rate(query, 'hiveJs'), 3),
          oursOverDirect: round(rate(query, 'ours') / rate(query, 'direct'), 3),
          p99Ms: Object.fromEntries(TARGETS.map((target) => [target, p99(query, target)])),
        },
      ]),
    );
    const conditions = {
      cpus: os.cpus().length,
      loadAverageAtEnd: os.loadavg().map((value) => round(value)),
      connections,
      secondsPerRun: seconds,
      rounds,
      note: 'shared machine: other work ran beside the bench',
    };
    const memory = { idleRssMb: idle, peakRssMbUnderLoadMix: peak };
    const failures = Object.values(runs)
      .flatMap((byTarget) => Object.values(byTarget).flat())
      .reduce((sum, run) => sum + run.non2xx + run.errors, 0);
    return [
      result('peers-one-field', 'requests/s', rate('oneField', 'ours'), 'Hive Gateway (Rust planner)', rate('oneField', 'hiveRust'), {
        ...ratios.oneField,
        runs: runs.oneField,
        conditions,
      }),
      result('peers-list-50', 'requests/s', rate('list', 'ours'), 'Hive Gateway (Rust planner)', rate('list', 'hiveRust'), {
        ...ratios.list,
        runs: runs.list,
        conditions,
      }),
      result('peers-board', 'requests/s', rate('board', 'ours'), 'Hive Gateway (Rust planner)', rate('board', 'hiveRust'), {
        ...ratios.board,
        runs: runs.board,
        conditions,
      }),
      result('peers-subgraph-vs-sql', 'ratio', Math.min(...parts.map((part) => part.subgraphOverSql)), 'SQL alone', 1, { parts, conditions }),
      result('peers-load-mix', 'requests/s', load.value, 'one-field query through our gateway', rate('oneField', 'ours'), {
        ...load.details,
        failedTimedRequests: failures,
        memory,
        conditions,
      }),
    ];
  } finally {
    await Promise.all(Object.values(pools).map((pool) => pool.end()));
    await Promise.all([hiveRust, hiveJs].map((child) => stopChild(child)));
  }
}

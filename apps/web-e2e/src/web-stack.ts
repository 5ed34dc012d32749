import path from 'node:path';

import { ensureChromium, workspaceRoot } from '@pipeline/dev-infra';
import { adminActor, type E2EStack, expectNoErrors, gatewayClient, type GraphQLCall, mintUserToken, startE2EStack } from '@pipeline/testing';

export interface SeededPeople {
  rita: string;
  otto: string;
  mona: string;
  sam: string;
}

export const WEB_DIST_DIR = path.join(workspaceRoot(), 'dist', 'apps', 'web');

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function createRep(call: GraphQLCall, name: string, role: 'REP' | 'MANAGER', teamId: string): Promise<string> {
  const data = expectNoErrors(
    await call<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
      input: { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, role, teamId, regions: ['DE'], industries: ['Software'], capacity: 50 },
    }),
  );
  return data.createSalesRep.salesRep.id;
}

async function createOpportunity(call: GraphQLCall, ownerId: string, name: string, amount: string, industry = 'Software'): Promise<string> {
  const data = expectNoErrors(
    await call<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
      input: { name, accountName: `${name} GmbH`, industry, ownerId, amount: { amount, currency: 'EUR' }, expectedCloseDate: inDays(45) },
    }),
  );
  return data.createOpportunity.opportunity.id;
}

// A small book like a team's Monday morning: two reps and their manager in one team, one rep in another.
async function seed(call: GraphQLCall): Promise<SeededPeople> {
  const people = {
    rita: await createRep(call, 'Rita Rep', 'REP', 'north'),
    otto: await createRep(call, 'Otto Rep', 'REP', 'north'),
    mona: await createRep(call, 'Mona Manager', 'MANAGER', 'north'),
    sam: await createRep(call, 'Sam South', 'REP', 'south'),
  };
  const book: Array<[string, string, string, string | null]> = [
    [people.rita, 'Keyboard Kites', '18000', null],
    [people.rita, 'Harbor Logistics', '64000', 'PROPOSAL'],
    [people.otto, 'Live Lumber', '27000', null],
    [people.otto, 'Nordic Foods', '9500', null],
    [people.otto, 'Orbit Health', '120000', 'PROPOSAL'],
    [people.sam, 'Southern Steel', '41000', null],
  ];
  for (const [owner, name, amount, stage] of book) {
    const id = await createOpportunity(call, owner, name, amount, name === 'Orbit Health' ? 'Healthcare' : 'Software');
    if (stage)
      expectNoErrors(
        await call(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id } } }`, {
          input: { opportunityId: id, toStage: stage },
        }),
      );
  }
  expectNoErrors(
    await call(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
      input: {
        name: 'Ada Buyer',
        company: 'Acme Robotics',
        email: 'ada@acme.example',
        source: 'REFERRAL',
        ownerId: people.rita,
        industry: 'Software',
        region: 'DE',
        estimatedValue: { amount: '48000.00', currency: 'EUR' },
      },
    }),
  );
  expectNoErrors(
    await call(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
      input: {
        name: 'Bea Buyer',
        company: 'Birch Retail',
        email: 'bea@birch.example',
        source: 'EVENT',
        sourceDetail: 'Web Summit',
        ownerId: people.otto,
        industry: 'Retail',
        region: 'NL',
        estimatedValue: { amount: '15000.00', currency: 'EUR' },
      },
    }),
  );
  return people;
}

export interface WebStack {
  stop(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  ensureChromium();
  const started = Date.now();
  const stack: E2EStack = await startE2EStack('web', { WEB_DIST_DIR, GATEWAY_TRUSTED_DOCUMENTS_REQUIRED_FOR: 'pipeline-web' });
  try {
    const admin = gatewayClient(stack.gatewayUrl, await mintUserToken(adminActor()));
    const people = await seed(admin);
    // Reps reach the other services by event; team visibility needs them there before a manager looks.
    await stack.waitForQuiet();
    process.env.WEB_E2E_ORIGIN = new URL(stack.gatewayUrl).origin;
    process.env.WEB_E2E_GATEWAY_URL = stack.gatewayUrl;
    process.env.WEB_E2E_PEOPLE = JSON.stringify(people);
    // For specs that arrange what no API writes (past months' forecast snapshots, facts dated in closed months).
    process.env.WEB_E2E_TOPIC_PREFIX = stack.topicPrefix;
    process.env.WEB_E2E_ANALYTICS_DATABASE_URL = stack.databaseUrl('analytics');
    process.stderr.write(`\nweb stack ready at ${process.env.WEB_E2E_ORIGIN} in ${Date.now() - started} ms\n`);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return { stop: () => stack.stop() };
}

import { parseArgs } from 'node:util';

import { type GatewayOptions, gatewayOptions, graphql } from '../lib/gateway-client';

// Seeds a running stack with a believable data set: reps and a manager in each of three teams and a few hundred leads across every source,
// region and industry (through the lead import), some qualified, some converted and moved along the pipeline.
const TEAMS = ['emea', 'americas', 'apac'];
const REGIONS: Record<string, string[]> = { emea: ['DE', 'FR', 'UK', 'NL'], americas: ['US', 'CA', 'BR'], apac: ['JP', 'AU', 'SG'] };
const INDUSTRIES = ['Software', 'Retail', 'Manufacturing', 'Healthcare', 'Finance'];
const SOURCES = ['MARKETING_CAMPAIGN', 'REFERRAL', 'SOCIAL_MEDIA', 'EVENT', 'INBOUND', 'OTHER'];
const DETAILS: Record<string, string[]> = {
  MARKETING_CAMPAIGN: ['Spring webinar', 'Q3 newsletter'],
  REFERRAL: ['Existing customer', 'Partner'],
  SOCIAL_MEDIA: ['LinkedIn', 'X'],
  EVENT: ['Web Summit', 'SaaStr'],
  INBOUND: ['Pricing page', 'Contact form'],
  OTHER: ['Cold list'],
};

function random(seed: number) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

async function seed(gateway: GatewayOptions, leadCount: number): Promise<void> {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const reps: string[] = [];
  for (const [index, team] of [...TEAMS, ...TEAMS, ...TEAMS, ...TEAMS].entries()) {
    const result = await graphql(
      gateway,
      `
        mutation ($input: CreateSalesRepInput!) {
          createSalesRep(input: $input) {
            salesRep {
              id
            }
          }
        }
      `,
      {
        input: {
          name: `Seed Rep ${index + 1}`,
          email: `seed.rep${index + 1}.${Date.now()}@example.com`,
          role: 'REP',
          teamId: team,
          regions: REGIONS[team].filter(() => next() < 0.7),
          industries: INDUSTRIES.filter(() => next() < 0.4),
          capacity: 40,
        },
      },
    );
    reps.push(result.createSalesRep.salesRep.id);
  }
  // One manager per team, so the dashboard's approvals queue and team views have someone to sign in as.
  for (const team of TEAMS) {
    await graphql(
      gateway,
      `
        mutation ($input: CreateSalesRepInput!) {
          createSalesRep(input: $input) {
            salesRep {
              id
            }
          }
        }
      `,
      {
        input: {
          name: `Seed Manager ${team}`,
          email: `seed.manager.${team}.${Date.now()}@example.com`,
          role: 'MANAGER',
          teamId: team,
          regions: REGIONS[team],
          industries: INDUSTRIES,
          capacity: 10,
        },
      },
    );
  }
  const stamp = Date.now().toString(36);
  const rows = ['name,company,email,source,sourceDetail,estimatedValue,currency,region,industry,externalId'];
  for (let index = 0; index < leadCount; index += 1) {
    const team = pick(TEAMS);
    const source = pick(SOURCES);
    rows.push(
      [
        `Contact ${index}`,
        `Seed Company ${stamp}-${index}`,
        `contact${index}.${stamp}@example.com`,
        source,
        pick(DETAILS[source]),
        String(Math.round(next() * 200) * 500 + 1000),
        team === 'americas' ? 'USD' : 'EUR',
        pick(REGIONS[team]),
        pick(INDUSTRIES),
        `seed-${stamp}-${index}`,
      ].join(','),
    );
  }
  const imported = (
    await graphql(
      gateway,
      `
        mutation ($input: ImportLeadsInput!) {
          importLeads(input: $input) {
            created
            rejected
          }
        }
      `,
      { input: { csv: rows.join('\n'), mode: 'PER_ROW' } },
    )
  ).importLeads;
  console.log(`reps: ${reps.length}, leads imported: ${imported.created}, rejected: ${imported.rejected}`);

  const leads = (
    await graphql(gateway, `query($first: Int) { leads(first: $first, filter: { search: "${stamp}" }) { edges { node { id } } } }`, { first: 500 })
  ).leads.edges.map((edge: { node: { id: string } }) => edge.node.id);
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  let qualified = 0;
  let converted = 0;
  for (const [index, leadId] of leads.slice(0, Math.floor(leads.length / 3)).entries()) {
    const pass = next() < 0.7;
    await graphql(
      gateway,
      `
        mutation ($input: QualifyLeadInput!) {
          qualifyLead(input: $input) {
            lead {
              status
            }
          }
        }
      `,
      {
        input: {
          leadId,
          hasBudget: true,
          isDecisionMaker: pass,
          needConfirmed: true,
          need: 'Better pipeline visibility',
          expectedPurchaseDate: inDays(30 + index),
        },
      },
    );
    if (!pass) continue;
    qualified += 1;
    if (next() < 0.6) {
      const opportunity = (
        await graphql(
          gateway,
          `
            mutation ($input: ConvertLeadInput!) {
              convertLead(input: $input) {
                opportunity {
                  id
                }
              }
            }
          `,
          { input: { leadId, expectedCloseDate: inDays(60 + index) } },
        )
      ).convertLead.opportunity;
      converted += 1;
      if (next() < 0.5)
        await graphql(
          gateway,
          `
            mutation ($input: MoveOpportunityStageInput!) {
              moveOpportunityStage(input: $input) {
                opportunity {
                  id
                }
              }
            }
          `,
          { input: { opportunityId: opportunity.id, toStage: 'PROPOSAL' } },
        );
    }
  }
  console.log(`qualified: ${qualified}, converted to opportunities: ${converted}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, leads: { type: 'string', default: '300' } } });
  await seed(await gatewayOptions(values), Number(values.leads ?? 300));
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});

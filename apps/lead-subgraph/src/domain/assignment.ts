import type { SalesRep } from './sales-rep';
import { canOwnLeads } from './sales-rep';

export interface RepLoad {
  rep: SalesRep;
  openLeadCount: number;
}

export interface AssignmentDecision {
  ownerId: string | null;
  reason: string;
}

const matches = (values: string[], wanted: string | null) => wanted !== null && values.some((value) => value.toLowerCase() === wanted.toLowerCase());

// Rules in order: region and industry, then region, then industry (expertise); within a rule the most free capacity wins,
// then whoever was assigned least recently (round-robin); nobody matching leaves the lead in the unassigned queue.
export function chooseOwner(
  lead: { region: string | null; industry: string | null },
  loads: RepLoad[],
  excludeOwnerId: string | null = null,
): AssignmentDecision {
  const available = loads.filter(({ rep, openLeadCount }) => canOwnLeads(rep) && openLeadCount < rep.capacity && rep.id !== excludeOwnerId);
  const tiers: Array<{ label: string; accept: (rep: SalesRep) => boolean }> = [
    {
      label: `covers region ${lead.region} and industry ${lead.industry}`,
      accept: (rep) => matches(rep.regions, lead.region) && matches(rep.industries, lead.industry),
    },
    { label: `covers region ${lead.region}`, accept: (rep) => matches(rep.regions, lead.region) },
    { label: `is an expert in ${lead.industry}`, accept: (rep) => matches(rep.industries, lead.industry) },
  ];
  for (const tier of tiers) {
    const candidates = available.filter(({ rep }) => tier.accept(rep));
    if (candidates.length === 0) continue;
    candidates.sort(
      (a, b) =>
        b.rep.capacity - b.openLeadCount - (a.rep.capacity - a.openLeadCount) ||
        (a.rep.lastAssignedAt?.getTime() ?? 0) - (b.rep.lastAssignedAt?.getTime() ?? 0) ||
        a.rep.id.localeCompare(b.rep.id),
    );
    const chosen = candidates[0];
    const free = chosen.rep.capacity - chosen.openLeadCount;
    const tied = candidates.filter((candidate) => candidate.rep.capacity - candidate.openLeadCount === free).length;
    return {
      ownerId: chosen.rep.id,
      reason: `Rule: ${chosen.rep.name} ${tier.label}; most free capacity (${free} of ${chosen.rep.capacity})${tied > 1 ? `, round-robin among ${tied} tied reps` : ''}`,
    };
  }
  return {
    ownerId: null,
    reason: `Fallback queue: no active rep with free capacity covers region ${lead.region ?? 'unknown'} or industry ${lead.industry ?? 'unknown'}`,
  };
}

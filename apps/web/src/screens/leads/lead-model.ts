// BANT criteria in the words a rep uses, with what the current rules ask for.
export const BANT_WORDS: Record<string, string> = {
  BUDGET: 'Budget: a confirmed budget',
  AUTHORITY: 'Authority: talking to the decision maker',
  NEED: 'Need: a confirmed need',
  TIMELINE: 'Timeline: a purchase date within the horizon',
};

export const bantWords = (key: string): string => BANT_WORDS[key] ?? key;

export const scoreBand = (score: number): 'hot' | 'warm' | 'cold' => (score >= 70 ? 'hot' : score >= 40 ? 'warm' : 'cold');

export const LEAD_STATUSES = ['NEW', 'WORKING', 'QUALIFIED', 'DISQUALIFIED', 'CONVERTED'] as const;
export type LeadStatusName = (typeof LEAD_STATUSES)[number];

export const inboxStatuses = (status: string): LeadStatusName[] =>
  status === 'OPEN'
    ? ['NEW', 'WORKING', 'QUALIFIED']
    : LEAD_STATUSES.includes(status as LeadStatusName)
      ? [status as LeadStatusName]
      : ['NEW', 'WORKING', 'QUALIFIED'];

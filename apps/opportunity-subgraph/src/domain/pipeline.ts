import {
  badInput,
  isOneOf,
  LIST_LIMITS,
  OBJECTION_CATEGORIES,
  type ObjectionCategory,
  parseText,
  STAGE_CATEGORIES,
  type StageCategory,
} from '@pipeline/domain';

import { criterionKeys } from './criteria';

export type AutomationTrigger = 'PROPOSAL_SENT' | 'NEGOTIATION_STARTED';
export const AUTOMATION_TRIGGERS: readonly AutomationTrigger[] = ['PROPOSAL_SENT', 'NEGOTIATION_STARTED'];

export interface Stage {
  key: string;
  name: string;
  position: number;
  probability: number;
  category: StageCategory;
  entryCriteria: string[];
  exitCriteria: string[];
  stalledAfterDays: number | null;
  automationTrigger: AutomationTrigger | null;
  active: boolean;
  // The playbook: how to work a deal in this stage, and how to answer each kind of objection here.
  guidance: string | null;
  objectionNotes: ObjectionNote[];
}

export interface ObjectionNote {
  category: ObjectionCategory;
  note: string;
}

export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  version: number;
  // Every stage ever defined; removed ones are inactive so history keeps its names.
  stages: Stage[];
}

export const activeStages = (pipeline: Pipeline): Stage[] => pipeline.stages.filter((stage) => stage.active).sort((a, b) => a.position - b.position);
export const removedStages = (pipeline: Pipeline): Stage[] => pipeline.stages.filter((stage) => !stage.active);
export const stageOf = (pipeline: Pipeline, key: string): Stage | undefined => pipeline.stages.find((stage) => stage.key === key);
export const firstOpenStage = (pipeline: Pipeline): Stage => {
  const stage = activeStages(pipeline).find((candidate) => candidate.category === 'OPEN');
  if (!stage) throw new Error(`Pipeline ${pipeline.id} has no open stage`);
  return stage;
};
export const stageForCategory = (pipeline: Pipeline, category: 'WON' | 'LOST'): Stage | undefined =>
  activeStages(pipeline).find((stage) => stage.category === category);
export const stageWithTrigger = (pipeline: Pipeline, trigger: AutomationTrigger): Stage | undefined =>
  activeStages(pipeline).find((stage) => stage.automationTrigger === trigger);

// The process's stages (the lead stage lives in the lead service, before conversion).
export const DEFAULT_PIPELINE_STAGES: Stage[] = [
  {
    key: 'QUALIFICATION',
    name: 'Qualification',
    position: 1,
    probability: 0.1,
    category: 'OPEN',
    entryCriteria: [],
    exitCriteria: [],
    stalledAfterDays: 14,
    automationTrigger: null,
    active: true,
    guidance: null,
    objectionNotes: [],
  },
  {
    key: 'PROPOSAL',
    name: 'Proposal',
    position: 2,
    probability: 0.4,
    category: 'OPEN',
    entryCriteria: ['AMOUNT_SET', 'CLOSE_DATE_SET'],
    exitCriteria: [],
    stalledAfterDays: 21,
    automationTrigger: 'PROPOSAL_SENT',
    active: true,
    guidance: null,
    objectionNotes: [],
  },
  {
    key: 'NEGOTIATION',
    name: 'Negotiation',
    position: 3,
    probability: 0.6,
    category: 'OPEN',
    entryCriteria: ['PROPOSAL_SENT'],
    exitCriteria: [],
    stalledAfterDays: 30,
    automationTrigger: 'NEGOTIATION_STARTED',
    active: true,
    guidance: null,
    objectionNotes: [],
  },
  {
    key: 'CLOSED_WON',
    name: 'Closed won',
    position: 4,
    probability: 1,
    category: 'WON',
    entryCriteria: ['AMOUNT_SET', 'DEAL_WON'],
    exitCriteria: [],
    stalledAfterDays: null,
    automationTrigger: null,
    active: true,
    guidance: null,
    objectionNotes: [],
  },
  {
    key: 'CLOSED_LOST',
    name: 'Closed lost',
    position: 5,
    probability: 0,
    category: 'LOST',
    entryCriteria: ['LOST_REASON_SET'],
    exitCriteria: [],
    stalledAfterDays: null,
    automationTrigger: null,
    active: true,
    guidance: null,
    objectionNotes: [],
  },
];

export interface StageDraft {
  key: unknown;
  name: unknown;
  probability: unknown;
  category: unknown;
  entryCriteria?: unknown;
  exitCriteria?: unknown;
  stalledAfterDays?: unknown;
  automationTrigger?: unknown;
  guidance?: unknown;
  objectionNotes?: ReadonlyArray<{ category?: unknown; note?: unknown }> | null;
}

const KEY_PATTERN = /^[A-Z][A-Z0-9_]{0,39}$/;

function parseCriteria(value: unknown, field: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw badInput(field, `${field} must be a list of criterion keys`);
  const known = criterionKeys();
  for (const [index, key] of value.entries()) {
    if (typeof key !== 'string' || !known.includes(key)) throw badInput(`${field}[${index}]`, `unknown criterion ${String(key)}; known: ${known.join(', ')}`);
  }
  return [...new Set(value as string[])];
}

// Validates a whole stage list as admins submit it: unique keys, one WON and one LOST stage, open stages first.
export function parseStages(drafts: StageDraft[], field = 'stages'): Stage[] {
  const max = LIST_LIMITS.stagesPerPipeline;
  if (!Array.isArray(drafts) || drafts.length < 3 || drafts.length > max) throw badInput(field, `${field} must list 3 to ${max} stages`);
  const stages = drafts.map((draft, index): Stage => {
    const at = `${field}[${index}]`;
    if (typeof draft.key !== 'string' || !KEY_PATTERN.test(draft.key)) throw badInput(`${at}.key`, 'stage keys are UPPER_SNAKE_CASE, at most 40 characters');
    if (typeof draft.name !== 'string' || draft.name.trim().length === 0 || draft.name.length > 100)
      throw badInput(`${at}.name`, 'stage name must be 1 to 100 characters');
    if (typeof draft.probability !== 'number' || !Number.isFinite(draft.probability) || draft.probability < 0 || draft.probability > 1) {
      throw badInput(`${at}.probability`, 'probability must be between 0 and 1');
    }
    if (!isOneOf(STAGE_CATEGORIES, draft.category)) throw badInput(`${at}.category`, 'category must be OPEN, WON or LOST');
    const stalled = draft.stalledAfterDays;
    if (stalled !== null && stalled !== undefined && (typeof stalled !== 'number' || !Number.isInteger(stalled) || stalled < 1 || stalled > 3650)) {
      throw badInput(`${at}.stalledAfterDays`, 'stalledAfterDays must be a whole number of days from 1 to 3650');
    }
    const trigger = draft.automationTrigger ?? null;
    if (trigger !== null && !AUTOMATION_TRIGGERS.includes(trigger as AutomationTrigger))
      throw badInput(`${at}.automationTrigger`, `automationTrigger must be one of ${AUTOMATION_TRIGGERS.join(', ')}`);
    return {
      key: draft.key,
      name: draft.name.trim(),
      position: index + 1,
      probability: draft.probability,
      category: draft.category,
      entryCriteria: parseCriteria(draft.entryCriteria, `${at}.entryCriteria`),
      exitCriteria: parseCriteria(draft.exitCriteria, `${at}.exitCriteria`),
      stalledAfterDays: (stalled as number | null | undefined) ?? null,
      automationTrigger: trigger as AutomationTrigger | null,
      active: true,
      guidance: parseText(draft.guidance, `${at}.guidance`, { maxLength: 4_000 }),
      objectionNotes: parseObjectionNotes(draft.objectionNotes, `${at}.objectionNotes`),
    };
  });
  const keys = stages.map((stage) => stage.key);
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated) throw badInput(field, `stage key ${repeated} appears twice`);
  const won = stages.filter((stage) => stage.category === 'WON');
  const lost = stages.filter((stage) => stage.category === 'LOST');
  if (won.length !== 1 || lost.length !== 1) throw badInput(field, 'a pipeline has exactly one WON and one LOST stage');
  const firstClosed = stages.findIndex((stage) => stage.category !== 'OPEN');
  if (firstClosed === 0 || stages.slice(firstClosed).some((stage) => stage.category === 'OPEN'))
    throw badInput(field, 'open stages come first, closing stages last');
  for (const trigger of AUTOMATION_TRIGGERS) {
    if (stages.filter((stage) => stage.automationTrigger === trigger).length > 1) throw badInput(field, `only one stage may have automationTrigger ${trigger}`);
  }
  return stages;
}

// One note per objection category at most: the answer a rep reads when that objection comes up in this stage.
function parseObjectionNotes(value: StageDraft['objectionNotes'], field: string): ObjectionNote[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.length > OBJECTION_CATEGORIES.length)
    throw badInput(field, `at most one note per objection category (${OBJECTION_CATEGORIES.length})`);
  const notes = value.map((entry, index): ObjectionNote => {
    if (!isOneOf(OBJECTION_CATEGORIES, entry.category))
      throw badInput(`${field}[${index}].category`, `category must be one of ${OBJECTION_CATEGORIES.join(', ')}`);
    return { category: entry.category, note: parseText(entry.note, `${field}[${index}].note`, { required: true, maxLength: 4_000 }) as string };
  });
  const categories = notes.map((note) => note.category);
  const repeated = categories.find((category, index) => categories.indexOf(category) !== index);
  if (repeated) throw badInput(field, `objection category ${repeated} appears twice`);
  return notes;
}

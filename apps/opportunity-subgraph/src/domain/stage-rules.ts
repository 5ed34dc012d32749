import type { OpportunityStatus } from '@pipeline/domain';
import { badInput, conflict, stageGateFailed, statusOfCategory } from '@pipeline/domain';

import { type CriterionContext, unmetCriteria } from './criteria';
import type { Opportunity } from './opportunity';
import { activeStages, type Pipeline, type Stage, stageOf } from './pipeline';

export interface PlannedMove {
  from: Stage;
  to: Stage;
  status: OpportunityStatus;
  direction: 'FORWARD' | 'BACKWARD' | 'CLOSE' | 'REOPEN';
}

export interface MoveOptions {
  // Reopening a closed opportunity is only for the deal service's reopen fact, never for the API.
  allowReopen?: boolean;
}

// The stage gates, the same for every writer: API, import and automation.
// Forward moves pass the entry criteria of every open stage they reach or skip and the exit criteria of the stage they leave;
// closing moves (WON/LOST) need the closing stage's own criteria from any open stage; moving back needs a reason.
export function planMove(pipeline: Pipeline, opportunity: Opportunity, toKey: string, context: CriterionContext, options: MoveOptions = {}): PlannedMove {
  const to = stageOf(pipeline, toKey);
  if (!to || !to.active) throw badInput('toStage', `Stage ${toKey} is not a stage of pipeline ${pipeline.name}`);
  const from = stageOf(pipeline, opportunity.stageKey);
  if (!from) throw new Error(`Opportunity ${opportunity.id} is in unknown stage ${opportunity.stageKey}`);
  if (from.key === to.key) throw conflict(`Opportunity ${opportunity.id} is already in stage ${to.key}`, { stage: to.key });

  if (from.category !== 'OPEN') {
    if (!options.allowReopen)
      throw conflict(`Opportunity ${opportunity.id} is closed (${from.key}); a manager reopens its deal to move it again`, { stage: from.key });
    if (to.category !== 'OPEN') throw conflict('A reopened opportunity goes back to an open stage');
    return { from, to, status: 'OPEN', direction: 'REOPEN' };
  }

  if (to.category !== 'OPEN') {
    const unmet = unmetCriteria(to.entryCriteria, context);
    if (unmet.length > 0) throw stageGateFailed(`Cannot enter ${to.key}: ${unmet.join(', ')} not met`, unmet);
    return { from, to, status: statusOfCategory(to.category), direction: 'CLOSE' };
  }

  if (to.position < from.position) {
    if (!context.reason || context.reason.trim() === '') throw stageGateFailed(`Moving back from ${from.key} to ${to.key} needs a reason`, ['REASON_REQUIRED']);
    return { from, to, status: 'OPEN', direction: 'BACKWARD' };
  }

  // Skipping forward does not skip the gates of the stages passed over.
  const crossed = activeStages(pipeline).filter((stage) => stage.category === 'OPEN' && stage.position > from.position && stage.position <= to.position);
  const required = [...from.exitCriteria, ...crossed.flatMap((stage) => stage.entryCriteria)];
  const unmet = [...new Set(unmetCriteria(required, context))];
  if (unmet.length > 0) throw stageGateFailed(`Cannot move from ${from.key} to ${to.key}: ${unmet.join(', ')} not met`, unmet);
  return { from, to, status: 'OPEN', direction: 'FORWARD' };
}

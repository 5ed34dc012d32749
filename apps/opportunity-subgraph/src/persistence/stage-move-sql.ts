import { conflict, type PersonToRecognise } from '@pipeline/domain';
import { type OutboxEntry, outboxRows, outboxValuesSql } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { ERASED_PERSON } from '../domain/account';
import { type DealFacts, NO_DEAL_FACTS } from '../domain/criteria';
import type { Opportunity, StageTransition } from '../domain/opportunity';
import type { Pipeline } from '../domain/pipeline';
import { leadPeopleFromRows, leadPeopleSql, type LeadPersonRow } from './lead-person-text';
import { pipelineFromJsonRows, pipelineJsonRowsSql, type PipelineSqlRow } from './pipeline-repository';

// A stage move is a handful of statements on the hot write path, each a round trip of its own: these fold the reads a
// move needs after its row lock into one, and its writes into one.

export interface MoveContext {
  pipeline: Pipeline | null;
  facts: DealFacts;
  activityCount: number;
  // The lead's person as free text may name it (empty when the opportunity was not made from a lead).
  leadPeople: Map<string, PersonToRecognise[]>;
}

interface MoveContextRow {
  pipeline_rows: PipelineSqlRow[] | null;
  facts: { proposal_sent: boolean; negotiation_started: boolean; outcome: DealFacts['outcome']; lost_reason: string | null } | null;
  activity_count: number;
  lead_people: LeadPersonRow[] | null;
}

// Read after the opportunity's row lock (a statement of its own), so it sees every change committed before the lock
// was granted, as the separate reads did: deal facts and activities are written under the same lock.
export async function readMoveContext(manager: EntityManager, opportunity: Opportunity): Promise<MoveContext> {
  const [row]: MoveContextRow[] = await manager.query(
    `SELECT ${pipelineJsonRowsSql('$1')} AS pipeline_rows,
            (SELECT json_build_object('proposal_sent', f.proposal_sent, 'negotiation_started', f.negotiation_started, 'outcome', f.outcome, 'lost_reason', f.lost_reason)
               FROM deal_fact f WHERE f.opportunity_id = $2) AS facts,
            (SELECT count(*)::int FROM activity a WHERE a.opportunity_id = $2) AS activity_count,
            (SELECT json_agg(people) FROM (${leadPeopleSql('$3', '$4')}) people) AS lead_people`,
    [opportunity.pipelineId, opportunity.id, opportunity.leadId ? [opportunity.leadId] : [], ERASED_PERSON],
  );
  const facts = row.facts
    ? {
        proposalSent: row.facts.proposal_sent,
        negotiationStarted: row.facts.negotiation_started,
        outcome: row.facts.outcome,
        lostReason: row.facts.lost_reason,
      }
    : NO_DEAL_FACTS;
  return { pipeline: pipelineFromJsonRows(row.pipeline_rows), facts, activityCount: row.activity_count, leadPeople: leadPeopleFromRows(row.lead_people ?? []) };
}

// The move's compare-and-set on version, its history entry and its events in one statement: the history and events
// are written only when the update took, and a stale writer changes nothing and learns it.
export async function writeStageMove(
  manager: EntityManager,
  next: Opportunity,
  expectedVersion: number,
  transition: StageTransition,
  events: readonly OutboxEntry[],
): Promise<void> {
  const rows = await outboxRows(manager, events);
  const values: unknown[] = [
    next.id,
    expectedVersion,
    next.stageKey,
    next.stageEnteredAt,
    next.status,
    next.closedAt,
    next.lostReason,
    next.deferredUntil,
    next.version,
    next.stageSequence,
    next.updatedAt,
    transition.fromStage,
    transition.toStage,
    transition.changedAt,
    transition.changedBy,
    transition.reason,
    transition.timeInPreviousStageSeconds,
    transition.version,
  ];
  const [{ moved }]: Array<{ moved: number }> = await manager.query(
    `WITH moved AS (
       UPDATE opportunity SET stage_key = $3, stage_entered_at = $4::timestamptz, status = $5, closed_at = $6::timestamptz, lost_reason = $7,
              deferred_until = $8::date, version = $9, stage_sequence = $10, updated_at = $11::timestamptz
        WHERE id = $1 AND version = $2 RETURNING id
     ), history AS (
       INSERT INTO stage_transition (opportunity_id, from_stage, to_stage, changed_at, changed_by, reason, time_in_previous_stage_seconds, version)
       SELECT id, $12::text, $13::text, $14::timestamptz, $15::text, $16::text, $17::int, $18::int FROM moved
     )${
       rows.length > 0
         ? `, events AS (
       INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)
       SELECT e.* FROM (VALUES ${outboxValuesSql(rows, values.length + 1)}) AS e(id, aggregatetype, aggregateid, type, topic, payload) WHERE EXISTS (SELECT FROM moved)
     )`
         : ''
     }
     SELECT count(*)::int AS moved FROM moved`,
    [...values, ...rows.flat()],
  );
  if (moved !== 1) throw conflict(`Opportunity ${next.id} changed since version ${expectedVersion}; reload and retry`, { currentVersion: next.version - 1 });
}

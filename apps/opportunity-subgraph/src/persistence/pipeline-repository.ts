import { selectRows } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { AutomationTrigger, Pipeline, Stage } from '../domain/pipeline';
import { PipelineEntity, PipelineStageEntity } from './entities';
import { fromStage } from './mappers';

export interface PipelineSqlRow {
  id: string;
  name: string;
  is_default: boolean;
  version: number;
  key: string | null;
  stage_name: string;
  position: number;
  probability: string | number;
  category: Stage['category'];
  entry_criteria: string[] | null;
  exit_criteria: string[] | null;
  stalled_after_days: number | null;
  automation_trigger: AutomationTrigger | null;
  active: boolean;
  guidance: string | null;
  objection_notes: Stage['objectionNotes'] | null;
}

// A pipeline's row joined with each of its stages (one row with a null key when it has none).
const PIPELINE_ROWS = `SELECT p.id, p.name, p.is_default, p.version, s.key, s.name AS stage_name, s.position, s.probability, s.category, s.entry_criteria, s.exit_criteria,
            s.stalled_after_days, s.automation_trigger, s.active, s.guidance, s.objection_notes
       FROM pipeline p LEFT JOIN pipeline_stage s ON s.pipeline_id = p.id`;

// One pipeline's rows as a JSON array inside a larger read (a stage move reads it with the facts its gates need);
// pipelineFromJsonRows maps it. `id` is a placeholder or expression of the pipeline id.
export const pipelineJsonRowsSql = (id: string): string => `(SELECT json_agg(r ORDER BY r.position) FROM (${PIPELINE_ROWS} WHERE p.id = ${id}) r)`;

// Each pipeline's rows together, its stages in order.
function pipelinesFromRows(rows: readonly PipelineSqlRow[]): Pipeline[] {
  const pipelines: Pipeline[] = [];
  for (const row of rows) {
    let pipeline = pipelines[pipelines.length - 1];
    if (pipeline?.id !== row.id) pipelines.push((pipeline = { id: row.id, name: row.name, isDefault: row.is_default, version: row.version, stages: [] }));
    if (row.key === null) continue;
    pipeline.stages.push({
      key: row.key,
      name: row.stage_name,
      position: row.position,
      probability: Number(row.probability),
      category: row.category,
      entryCriteria: row.entry_criteria ?? [],
      exitCriteria: row.exit_criteria ?? [],
      stalledAfterDays: row.stalled_after_days,
      automationTrigger: row.automation_trigger,
      active: row.active,
      guidance: row.guidance,
      objectionNotes: row.objection_notes ?? [],
    });
  }
  return pipelines;
}

// JSON carries the probability as a number where the driver gives numeric as text; Number() reads both alike.
export const pipelineFromJsonRows = (rows: readonly PipelineSqlRow[] | null): Pipeline | null => (rows ? (pipelinesFromRows(rows)[0] ?? null) : null);

// Pipelines with their stages in one statement (read on every board), each pipeline's rows together.
async function selectPipelines(manager: EntityManager, where: string, parameters: unknown[]): Promise<Pipeline[]> {
  const rows: PipelineSqlRow[] = await selectRows(
    manager,
    `${PIPELINE_ROWS} WHERE ${where} ORDER BY p.is_default DESC, p.name ASC, p.id, s.position`,
    parameters,
  );
  return pipelinesFromRows(rows);
}

export async function loadPipelines(manager: EntityManager, ids?: readonly string[]): Promise<Pipeline[]> {
  if (!ids) return selectPipelines(manager, 'true', []);
  if (ids.length === 0) return [];
  return selectPipelines(manager, 'p.id = ANY($1::uuid[])', [[...ids]]);
}

export async function loadPipeline(manager: EntityManager, id: string, forUpdate = false): Promise<Pipeline | null> {
  if (forUpdate) await manager.query('SELECT id FROM pipeline WHERE id = $1 FOR UPDATE', [id]);
  const [pipeline] = await loadPipelines(manager, [id]);
  return pipeline ?? null;
}

export async function defaultPipeline(manager: EntityManager): Promise<Pipeline> {
  const [pipeline] = await selectPipelines(manager, 'p.is_default', []);
  if (!pipeline) throw new Error('There is no default pipeline');
  return pipeline;
}

export async function savePipeline(manager: EntityManager, pipeline: Pipeline, changedBy: string, isNew: boolean): Promise<void> {
  const now = new Date();
  if (isNew) {
    await manager
      .getRepository(PipelineEntity)
      .insert({ id: pipeline.id, name: pipeline.name, isDefault: pipeline.isDefault, version: pipeline.version, createdAt: now, updatedAt: now });
  } else {
    await manager.getRepository(PipelineEntity).update({ id: pipeline.id }, { name: pipeline.name, version: pipeline.version, updatedAt: now });
  }
  await manager.getRepository(PipelineStageEntity).upsert(
    pipeline.stages.map((stage) => fromStage(pipeline.id, stage)),
    ['pipelineId', 'key'],
  );
  await manager.query('INSERT INTO pipeline_revision (pipeline_id, version, stages, changed_by) VALUES ($1, $2, $3::jsonb, $4)', [
    pipeline.id,
    pipeline.version,
    JSON.stringify(pipeline.stages),
    changedBy,
  ]);
}

export async function openCountsByStage(manager: EntityManager, pipelineId: string): Promise<Map<string, number>> {
  const rows: Array<{ stage_key: string; count: number }> = await manager.query(
    `SELECT stage_key, count(*)::int AS count FROM opportunity WHERE pipeline_id = $1 AND status = 'OPEN' GROUP BY stage_key`,
    [pipelineId],
  );
  return new Map(rows.map((row) => [row.stage_key, row.count]));
}

import type { EntityManager } from 'typeorm';

import type { Pipeline } from '../domain/pipeline';
import { PipelineEntity, PipelineStageEntity } from './entities';
import { fromStage, toPipeline } from './mappers';

export async function loadPipelines(manager: EntityManager, ids?: readonly string[]): Promise<Pipeline[]> {
  const pipelines = manager
    .getRepository(PipelineEntity)
    .createQueryBuilder('pipeline')
    .orderBy('pipeline.is_default', 'DESC')
    .addOrderBy('pipeline.name', 'ASC');
  const stages = manager.getRepository(PipelineStageEntity).createQueryBuilder('stage');
  if (ids) {
    if (ids.length === 0) return [];
    pipelines.where('pipeline.id IN (:...ids)', { ids: [...ids] });
    stages.where('stage.pipeline_id IN (:...ids)', { ids: [...ids] });
  }
  const [pipelineRows, stageRows] = await Promise.all([pipelines.getMany(), stages.getMany()]);
  return pipelineRows.map((row) => toPipeline(row, stageRows));
}

export async function loadPipeline(manager: EntityManager, id: string, forUpdate = false): Promise<Pipeline | null> {
  if (forUpdate) await manager.query('SELECT id FROM pipeline WHERE id = $1 FOR UPDATE', [id]);
  const [pipeline] = await loadPipelines(manager, [id]);
  return pipeline ?? null;
}

export async function defaultPipeline(manager: EntityManager): Promise<Pipeline> {
  const row = await manager.getRepository(PipelineEntity).findOneByOrFail({ isDefault: true });
  return (await loadPipeline(manager, row.id)) as Pipeline;
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

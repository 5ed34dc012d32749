import { type Actor, assertRole, conflict, newId, notFound, parseId, requireText } from '@pipeline/domain';
import { appendToOutbox, isUniqueViolation } from '@pipeline/persistence';

import { parseStages, type Pipeline, type StageDraft } from '../../domain/pipeline';
import { pipelineRevisedEvent } from '../../events/process-events';
import { loadPipeline, openCountsByStage, savePipeline } from '../../persistence/pipeline-repository';
import type { OpportunityDeps } from '../deps';
import { parseExpectedVersion } from '../shared/opportunity-input';

function nameTaken(error: unknown, name: string): never | void {
  if (isUniqueViolation(error, 'pipeline_name_uq')) throw conflict(`A pipeline named ${name} already exists`, { field: 'name' });
}

// Admins add pipelines (e.g. renewals) with their own stages, probabilities and gates.
export async function createPipeline(deps: OpportunityDeps, actor: Actor, input: { name: unknown; stages: StageDraft[] }): Promise<Pipeline> {
  assertRole(actor, ['ADMIN'], 'create pipelines');
  const name = requireText(input.name, 'name', { maxLength: 100 });
  const pipeline: Pipeline = { id: newId(), name, isDefault: false, version: 1, stages: parseStages(input.stages) };
  try {
    await deps.dataSource.transaction(async (manager) => {
      await savePipeline(manager, pipeline, actor.userId, true);
      await appendToOutbox(manager, [pipelineRevisedEvent(pipeline, actor.userId, deps.now())]);
    });
  } catch (error) {
    nameTaken(error, name);
    throw error;
  }
  return pipeline;
}

// Stage changes are versioned: opportunities keep their stage keys, removed stages stay (inactive) so history reads,
// and a stage can go only once no open opportunity is in it.
export async function updatePipelineStages(
  deps: OpportunityDeps,
  actor: Actor,
  input: { pipelineId: unknown; expectedVersion?: unknown; stages: StageDraft[]; name?: unknown },
): Promise<Pipeline> {
  assertRole(actor, ['ADMIN'], 'change pipelines');
  const pipelineId = parseId(input.pipelineId, 'pipelineId');
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  const stages = parseStages(input.stages);
  const name = input.name === undefined || input.name === null ? null : requireText(input.name, 'name', { maxLength: 100 });
  try {
    return await deps.dataSource.transaction(async (manager) => {
      const current = await loadPipeline(manager, pipelineId, true);
      if (!current) throw notFound('Pipeline', pipelineId);
      if (expectedVersion !== null && expectedVersion !== current.version) {
        throw conflict(`Pipeline ${pipelineId} is at version ${current.version}, not ${expectedVersion}`, {
          currentVersion: current.version,
          field: 'expectedVersion',
        });
      }
      const counts = await openCountsByStage(manager, pipelineId);
      const keys = new Set(stages.map((stage) => stage.key));
      const removed = current.stages.filter((stage) => stage.active && !keys.has(stage.key));
      const blocking = removed.filter((stage) => (counts.get(stage.key) ?? 0) > 0);
      if (blocking.length > 0) {
        throw conflict(
          `Move the open opportunities out of ${blocking.map((stage) => `${stage.key} (${counts.get(stage.key)})`).join(', ')} before removing it`,
          {
            stages: blocking.map((stage) => stage.key),
          },
        );
      }
      const recategorised = stages.filter((stage) => {
        const before = current.stages.find((candidate) => candidate.key === stage.key);
        return before && before.category !== stage.category && (counts.get(stage.key) ?? 0) > 0;
      });
      if (recategorised.length > 0)
        throw conflict(`Stages holding open opportunities cannot change category: ${recategorised.map((stage) => stage.key).join(', ')}`);
      const next: Pipeline = {
        ...current,
        name: name ?? current.name,
        version: current.version + 1,
        stages: [
          ...stages,
          ...current.stages.filter((stage) => !keys.has(stage.key)).map((stage) => ({ ...stage, active: false, position: stage.position + 1000 })),
        ],
      };
      await savePipeline(manager, next, actor.userId, false);
      await appendToOutbox(manager, [pipelineRevisedEvent(next, actor.userId, deps.now())]);
      return next;
    });
  } catch (error) {
    if (name) nameTaken(error, name);
    throw error;
  }
}

import { type Actor, canRead, canWrite, conflict, forbidden, notFound, parseId } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { Opportunity } from '../../domain/opportunity';
import type { Pipeline } from '../../domain/pipeline';
import { findOpportunity } from '../../persistence/opportunity-repository';
import { loadPipeline } from '../../persistence/pipeline-repository';

// Locks the opportunity for a change after checking the caller may see and change it, the version they expect, and
// that it is not archived.
export async function lockWritableOpportunity(
  manager: EntityManager,
  actor: Actor,
  rawId: unknown,
  expectedVersion?: number | null,
  options: { archived?: 'refuse' | 'allow' } = {},
): Promise<Opportunity> {
  const id = parseId(rawId, 'opportunityId');
  const opportunity = await findOpportunity(manager, id, true);
  if (!opportunity || !canRead(actor, opportunity)) throw notFound('Opportunity', id);
  if (!canWrite(actor, opportunity)) throw forbidden('You may read this opportunity but not change it');
  if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== opportunity.version) {
    throw conflict(`Opportunity ${id} is at version ${opportunity.version}, not ${expectedVersion}; reload and retry`, {
      currentVersion: opportunity.version,
      field: 'expectedVersion',
    });
  }
  // An archived opportunity takes no change but its restore (archive and restore check the state themselves).
  if (opportunity.archivedAt && options.archived !== 'allow') throw conflict(`Opportunity ${id} is archived; restore it first`, { opportunityId: id });
  return opportunity;
}

export function missingPipeline(opportunity: Opportunity): Error {
  return new Error(`Pipeline ${opportunity.pipelineId} of opportunity ${opportunity.id} is missing`);
}

// lockWritableOpportunity with the opportunity's pipeline.
export async function loadWritableOpportunity(
  manager: EntityManager,
  actor: Actor,
  rawId: unknown,
  expectedVersion?: number | null,
  options: { archived?: 'refuse' | 'allow' } = {},
): Promise<{ opportunity: Opportunity; pipeline: Pipeline }> {
  const opportunity = await lockWritableOpportunity(manager, actor, rawId, expectedVersion, options);
  const pipeline = await loadPipeline(manager, opportunity.pipelineId);
  if (!pipeline) throw missingPipeline(opportunity);
  return { opportunity, pipeline };
}

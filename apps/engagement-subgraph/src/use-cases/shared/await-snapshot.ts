import type { WorkRecord } from '../../domain/task';
import { findAssignee, snapshotExists } from '../../persistence/snapshot-repository';
import type { EngagementDeps } from '../deps';

const POLL_MS = 50;

// Runs before the transaction opens: a just-created record or rep may still be on its way by event; waiting holds no lock.
export async function awaitSnapshots(deps: EngagementDeps, record: { kind: WorkRecord['kind']; id: string }, assigneeId: string): Promise<void> {
  const deadline = Date.now() + deps.snapshotWaitMs;
  const ready = async () =>
    (await snapshotExists(deps.dataSource.manager, record.kind, record.id)) && (await findAssignee(deps.dataSource.manager, assigneeId)) !== null;
  while (!(await ready()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

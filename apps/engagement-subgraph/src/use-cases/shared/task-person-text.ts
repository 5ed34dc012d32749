import { redactPerson, redactPersonOrNull } from '@pipeline/domain';
import { personToRecognise } from '@pipeline/server-kit';

import { findOpportunityLead, type TaskPersonText } from '../../persistence/task-person-text';
import type { EngagementDeps } from '../deps';

// The text of a task on an opportunity made from a lead, with that lead's person replaced; null for any other task.
export async function taskPersonText(
  deps: EngagementDeps,
  record: { kind: 'LEAD' | 'OPPORTUNITY'; id: string },
  text: { title: string; notes: string | null },
): Promise<TaskPersonText | null> {
  if (record.kind !== 'OPPORTUNITY') return null;
  const lead = await findOpportunityLead(deps.dataSource.manager, record.id);
  if (!lead) return null;
  const person = await personToRecognise(deps.personalData, lead);
  // Not recognisable now: the title goes out blank (the typed one sealed, as for a task on a lead) and erasure clears it.
  if (!person) return { leadId: lead.leadId, redacted: { title: '', notes: null } };
  return { leadId: lead.leadId, redacted: { title: redactPerson(text.title, person), notes: redactPersonOrNull(text.notes, person) } };
}

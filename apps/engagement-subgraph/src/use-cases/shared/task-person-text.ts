import { type PersonToRecognise, redactPerson, redactPersonOrNull } from '@pipeline/domain';
import type { PersonalDataEnvelope } from '@pipeline/events';
import { isPersonalDataUnavailable } from '@pipeline/server-kit';

import { findOpportunityLead, type TaskPersonText } from '../../persistence/task-person-text';
import type { EngagementDeps } from '../deps';

// Who the lead's person is, opened through the lead service before any transaction opens; null when they cannot be
// told (erased, or the lead service unreachable): the task's text is then published only sealed.
async function leadPerson(deps: EngagementDeps, lead: { name: string; personal: PersonalDataEnvelope | null }): Promise<PersonToRecognise | null> {
  if (!lead.personal) return lead.name ? { name: lead.name } : null;
  try {
    const opening = await deps.personalData.open<{ name?: unknown; email?: unknown; phone?: unknown }>(lead.personal);
    if (opening.erased) return null;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    return { name: text(opening.fields.name), email: text(opening.fields.email), phone: text(opening.fields.phone) };
  } catch (error) {
    if (isPersonalDataUnavailable(error)) return null;
    throw error;
  }
}

// The text of a task on an opportunity made from a lead, with that lead's person replaced; null for any other task.
export async function taskPersonText(
  deps: EngagementDeps,
  record: { kind: 'LEAD' | 'OPPORTUNITY'; id: string },
  text: { title: string; notes: string | null },
): Promise<TaskPersonText | null> {
  if (record.kind !== 'OPPORTUNITY') return null;
  const lead = await findOpportunityLead(deps.dataSource.manager, record.id);
  if (!lead) return null;
  const person = await leadPerson(deps, lead);
  // Not recognisable now: the title goes out blank (the typed one sealed, as for a task on a lead) and erasure clears it.
  if (!person) return { leadId: lead.leadId, redacted: { title: '', notes: null } };
  return { leadId: lead.leadId, redacted: { title: redactPerson(text.title, person), notes: redactPersonOrNull(text.notes, person) } };
}

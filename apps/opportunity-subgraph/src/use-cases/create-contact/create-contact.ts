import { type Actor, assertCanWriteAnything, notFound, parseEmail, parseText, requireText } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import { type Contact, planNewContact } from '../../domain/account';
import { contactCreatedEvent } from '../../events/account-events';
import { findAccountsByIds, insertContact } from '../../persistence/account-repository';
import type { OpportunityDeps } from '../deps';
import { parseOptionalId } from '../shared/opportunity-input';

// A person at an account (or at none yet), to be named on opportunities with a role.
export async function createContact(
  deps: OpportunityDeps,
  actor: Actor,
  input: { accountId?: unknown; name: unknown; email?: unknown; phone?: unknown; title?: unknown },
): Promise<Contact> {
  assertCanWriteAnything(actor);
  const accountId = parseOptionalId(input.accountId, 'accountId');
  const fields = {
    accountId,
    leadId: null,
    name: requireText(input.name, 'name', { maxLength: 200 }),
    email: parseEmail(input.email, 'email'),
    phone: parseText(input.phone, 'phone', { maxLength: 32 }),
    title: parseText(input.title, 'title', { maxLength: 200 }),
  };
  return deps.dataSource.transaction(async (manager) => {
    if (accountId && (await findAccountsByIds(manager, [accountId])).length === 0) throw notFound('Account', accountId);
    const contact = planNewContact(fields, deps.now());
    await insertContact(manager, contact, actor.userId);
    await appendToOutbox(manager, [contactCreatedEvent(contact, actor.userId)]);
    return contact;
  });
}

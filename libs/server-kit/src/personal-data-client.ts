import type { PersonToRecognise } from '@pipeline/domain';
import type { PersonalDataEnvelope } from '@pipeline/events';

import { envString } from './config';
import { SERVICE_IDENTITY_HEADER, signServiceToken } from './identity-token';
import { OPEN_PERSONAL_DATA_PATH } from './personal-data-route';

// The owner could not be asked (down, timed out, 5xx): nothing was decided, the caller may try again later.
export class PersonalDataUnavailableError extends Error {
  readonly retryable = true;
  constructor(
    readonly ownerService: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PersonalDataUnavailableError';
  }
}

export const isPersonalDataUnavailable = (error: unknown): error is PersonalDataUnavailableError => error instanceof PersonalDataUnavailableError;

export type PersonalDataOpening<T> = { erased: false; fields: T } | { erased: true };

export interface PersonalDataOpener {
  open<T extends Record<string, unknown>>(envelope: PersonalDataEnvelope): Promise<PersonalDataOpening<T>>;
}

export interface PersonalDataOpenerOptions {
  // The owner's service name, for errors (e.g. lead-subgraph).
  ownerService: string;
  // Any URL of the owning service (its GraphQL URL will do: only the origin is used).
  ownerUrl: string;
  // This service's name, as the owner's allow-list has it.
  serviceName: string;
  internalSecret: string;
  timeoutMs?: number;
}

// Asks the owner to open an envelope it sealed: the fields, or erased (410); throws PersonalDataUnavailableError when
// the owner cannot answer, and a plain error when it refuses the caller (a configuration mistake, not worth a retry).
export function createPersonalDataOpener(options: PersonalDataOpenerOptions): PersonalDataOpener {
  const url = new URL(OPEN_PERSONAL_DATA_PATH, options.ownerUrl).toString();
  return {
    async open<T extends Record<string, unknown>>(envelope: PersonalDataEnvelope): Promise<PersonalDataOpening<T>> {
      let response: globalThis.Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SERVICE_IDENTITY_HEADER]: await signServiceToken(options.serviceName, options.internalSecret) },
          body: JSON.stringify({ envelope }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
        });
      } catch (error) {
        throw new PersonalDataUnavailableError(options.ownerService, `The owner of the personal data (${url}) could not be reached`, { cause: error });
      }
      if (response.status === 410) return { erased: true };
      const body = (await response.json().catch(() => ({}))) as { fields?: T; message?: string };
      if (response.status === 200 && body.fields) return { erased: false, fields: body.fields };
      if (response.status >= 500) throw new PersonalDataUnavailableError(options.ownerService, `The owner of the personal data answered ${response.status}`);
      throw new Error(`The owner of the personal data refused to open an envelope of ${envelope.keyId}: ${response.status} ${body.message ?? ''}`.trim());
    },
  };
}

// For text that can do without the name (a notification, a greeting): the plain name of an event from before sealing,
// else the one the owner opens; erased, or the owner unreachable, gives "" (the text then names no one: never waits, never fails).
export async function personNameForText(opener: PersonalDataOpener, lead: { name: string; personal?: PersonalDataEnvelope | null }): Promise<string> {
  if (lead.name || !lead.personal) return lead.name;
  try {
    const opening = await opener.open<{ name?: unknown }>(lead.personal);
    return !opening.erased && typeof opening.fields.name === 'string' ? opening.fields.name : '';
  } catch (error) {
    if (isPersonalDataUnavailable(error)) return '';
    throw error;
  }
}

// For recognising the person in free text typed about them (redactPerson): the plain name of an event from before
// sealing, else the name, email and phone the owner opens; null when they cannot be told (erased, unreachable).
export async function personToRecognise(
  opener: PersonalDataOpener,
  lead: { name: string; personal?: PersonalDataEnvelope | null },
): Promise<PersonToRecognise | null> {
  if (!lead.personal) return lead.name ? { name: lead.name } : null;
  try {
    const opening = await opener.open<{ name?: unknown; email?: unknown; phone?: unknown }>(lead.personal);
    if (opening.erased) return null;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    return { name: text(opening.fields.name), email: text(opening.fields.email), phone: text(opening.fields.phone) };
  } catch (error) {
    if (isPersonalDataUnavailable(error)) return null;
    throw error;
  }
}

// The lead service owns the keys of lead people; every service already knows its GraphQL URL (the gateway's setting).
export const leadPersonalDataOpener = (serviceName: string, internalSecret: string, env: NodeJS.ProcessEnv = process.env): PersonalDataOpener =>
  createPersonalDataOpener({
    ownerService: 'lead-subgraph',
    ownerUrl: envString('LEAD_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql', env),
    serviceName,
    internalSecret,
  });

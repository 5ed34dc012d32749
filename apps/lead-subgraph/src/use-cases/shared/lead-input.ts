import { badInput, isOneOf, LEAD_SOURCES, parseEmail, parseMoney, parseText, requireText, type Unparsed } from '@pipeline/domain';

import type { LeadFields } from '../../domain/lead';
import { EDITABLE_LEAD_FIELDS, type EditableLeadField, type LeadChanges } from '../../domain/lead-update';
import type { CreateLeadInput } from '../../generated/graphql';

export type { LeadFields } from '../../domain/lead';

// The lead's own fields of the API input (the CSV import supplies the same ones).
export type RawLeadFields = Unparsed<Omit<CreateLeadInput, 'ownerId' | 'allowDuplicate'>>;

const PHONE = /^\+?[0-9 ()./-]{5,32}$/;

// One validation per field, for creation, correction and the CSV import alike, so all refuse the same things with the same words.
const FIELD_PARSERS = {
  name: (value: unknown) => requireText(value, 'name', { maxLength: 200 }),
  company: (value: unknown) => requireText(value, 'company', { maxLength: 200 }),
  email: (value: unknown) => parseEmail(value, 'email'),
  phone: (value: unknown) =>
    parseText(value, 'phone', { maxLength: 32, pattern: PHONE, patternMessage: 'phone must be digits with optional +, spaces, dots, dashes or brackets' }),
  industry: (value: unknown) => parseText(value, 'industry', { maxLength: 100 }),
  region: (value: unknown) => parseText(value, 'region', { maxLength: 100 }),
  source: (value: unknown) => {
    if (!isOneOf(LEAD_SOURCES, value)) throw badInput('source', `source must be one of ${LEAD_SOURCES.join(', ')}`);
    return value;
  },
  sourceDetail: (value: unknown) => parseText(value, 'sourceDetail', { maxLength: 500 }),
  estimatedValue: (value: unknown) => (value ? parseMoney(value as { amount: unknown; currency: unknown }, 'estimatedValue') : null),
} satisfies { [K in EditableLeadField]: (value: unknown) => LeadFields[K] };

export function parseLeadFields(raw: RawLeadFields): LeadFields {
  const source = FIELD_PARSERS.source(raw.source);
  const fields = {
    name: FIELD_PARSERS.name(raw.name),
    company: FIELD_PARSERS.company(raw.company),
    email: FIELD_PARSERS.email(raw.email),
    phone: FIELD_PARSERS.phone(raw.phone),
    industry: FIELD_PARSERS.industry(raw.industry),
    region: FIELD_PARSERS.region(raw.region),
    source,
    sourceDetail: FIELD_PARSERS.sourceDetail(raw.sourceDetail),
    estimatedValue: FIELD_PARSERS.estimatedValue(raw.estimatedValue),
    externalId: parseText(raw.externalId, 'externalId', { maxLength: 200 }),
  } satisfies Record<keyof Required<RawLeadFields>, unknown>;
  return fields;
}

// Fields that may be cleared on a correction (name, company and source are required on every lead).
export const CLEARABLE_LEAD_FIELDS = ['email', 'phone', 'industry', 'region', 'sourceDetail', 'estimatedValue'] as const satisfies readonly EditableLeadField[];

// A correction: a field left out (or null) stays as it is; a field listed in clear becomes empty.
export function parseLeadChanges(raw: RawLeadFields, clear: unknown): LeadChanges {
  const changes: Record<string, unknown> = {};
  for (const field of EDITABLE_LEAD_FIELDS) {
    const value = raw[field];
    if (value !== undefined && value !== null) changes[field] = FIELD_PARSERS[field](value);
  }
  if (clear !== undefined && clear !== null) {
    if (!Array.isArray(clear)) throw badInput('clear', 'clear must be a list of field names');
    for (const field of clear) {
      if (!isOneOf(CLEARABLE_LEAD_FIELDS, field)) throw badInput('clear', `clear may name ${CLEARABLE_LEAD_FIELDS.join(', ')}`);
      if (field in changes) throw badInput(field, `set ${field} or clear it, not both`);
      changes[field] = null;
    }
  }
  return changes as LeadChanges;
}

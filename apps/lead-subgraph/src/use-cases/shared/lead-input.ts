import { isOneOf, LEAD_SOURCES, parseEmail, parseMoney, parseText, requireText, badInput, type Unparsed } from '@pipeline/domain';
import type { LeadFields } from '../../domain/lead';
import type { CreateLeadInput } from '../../generated/graphql';

export type { LeadFields } from '../../domain/lead';

// The lead's own fields of the API input (the CSV import supplies the same ones).
export type RawLeadFields = Unparsed<Omit<CreateLeadInput, 'ownerId' | 'allowDuplicate'>>;

const PHONE = /^\+?[0-9 ()./-]{5,32}$/;

// One validation for the API and the CSV import, so both refuse the same things with the same words.
export function parseLeadFields(raw: RawLeadFields): LeadFields {
  if (!isOneOf(LEAD_SOURCES, raw.source)) throw badInput('source', `source must be one of ${LEAD_SOURCES.join(', ')}`);
  const fields = {
    name: requireText(raw.name, 'name', { maxLength: 200 }),
    company: requireText(raw.company, 'company', { maxLength: 200 }),
    email: parseEmail(raw.email, 'email'),
    phone: parseText(raw.phone, 'phone', { maxLength: 32, pattern: PHONE, patternMessage: 'phone must be digits with optional +, spaces, dots, dashes or brackets' }),
    industry: parseText(raw.industry, 'industry', { maxLength: 100 }),
    region: parseText(raw.region, 'region', { maxLength: 100 }),
    source: raw.source,
    sourceDetail: parseText(raw.sourceDetail, 'sourceDetail', { maxLength: 500 }),
    estimatedValue: raw.estimatedValue ? parseMoney(raw.estimatedValue, 'estimatedValue') : null,
    externalId: parseText(raw.externalId, 'externalId', { maxLength: 200 }),
  } satisfies Record<keyof Required<RawLeadFields>, unknown>;
  return fields;
}

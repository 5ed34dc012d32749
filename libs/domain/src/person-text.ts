// Free text typed about a lead's person ("Call with Ada Lovelace") is published with the person replaced by this, and
// the original sealed with the person's key; erasure writes it over the person in stored copies too.
export const PERSON_PLACEHOLDER = '[person]';

export interface PersonToRecognise {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

// Shorter name parts ("Li", "de") are too common to replace in other people's words.
const MIN_NAME_PART = 3;
// At least this many digits before a phone number is looked for, so "+1" or an extension alone never matches.
const MIN_PHONE_DIGITS = 6;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Letters and digits of every script count as word characters, so "Adam" is not "Ada" and "Zoë" stays one word.
const WORD_BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}\\p{M}])';
const WORD_BOUNDARY_AFTER = '(?![\\p{L}\\p{N}\\p{M}])';

const nameParts = (name: string): string[] =>
  name
    .normalize('NFC')
    .split(/[^\p{L}\p{N}\p{M}'’-]+/u)
    .map((part) => part.replace(/^['’-]+|['’-]+$/g, ''))
    .filter((part) => [...part].length >= MIN_NAME_PART);

// Each digit of the phone, with any run of spaces, dots, dashes, slashes or brackets between them, as people type it.
function phonePattern(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < MIN_PHONE_DIGITS) return null;
  const separators = '[\\s().\\-/]*';
  return `${phone.trim().startsWith('+') ? '\\+?' : ''}${[...digits].join(separators)}(?!\\d)`;
}

// One pattern for everything that names the person: the full name, each name part of three letters or more (whole
// words, any case), the email and the phone. Null when there is nothing to recognise.
function personPattern(person: PersonToRecognise): RegExp | null {
  const alternatives: string[] = [];
  const email = person.email?.trim();
  if (email) alternatives.push(escapeRegExp(email));
  const phone = person.phone ? phonePattern(person.phone) : null;
  if (phone) alternatives.push(`(?<!\\d)${phone}`);
  const name = person.name?.normalize('NFC').trim().replace(/\s+/g, ' ');
  const words = name ? [name, ...nameParts(name)] : [];
  // Longest first, so the full name is replaced as one placeholder rather than one per part.
  const distinct = [...new Set(words)].sort((a, b) => b.length - a.length);
  for (const word of distinct) alternatives.push(`${WORD_BOUNDARY_BEFORE}${escapeRegExp(word).replace(/ /g, '\\s+')}${WORD_BOUNDARY_AFTER}`);
  return alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'giu');
}

// The text with every mention of the person replaced by PERSON_PLACEHOLDER; unchanged when it names them nowhere.
export function redactPerson(text: string, person: PersonToRecognise): string {
  const pattern = personPattern(person);
  if (!pattern) return text;
  const normalized = text.normalize('NFC');
  const redacted = normalized.replace(pattern, PERSON_PLACEHOLDER);
  return redacted === normalized ? text : redacted;
}

// For nullable fields: null stays null.
export const redactPersonOrNull = (text: string | null, person: PersonToRecognise): string | null => (text === null ? null : redactPerson(text, person));

export const namesPerson = (text: string, person: PersonToRecognise): boolean => redactPerson(text, person) !== text;

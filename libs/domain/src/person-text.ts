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

// One pattern for everything that names the person (or the forms of them a service knows): each email and phone, then
// the full names and every name part of three letters or more (whole words, any case), longest first, so an email is
// replaced whole before a name part inside it and a full name as one placeholder rather than one per part.
function personPattern(people: readonly PersonToRecognise[]): RegExp | null {
  const alternatives: string[] = [];
  const words = new Set<string>();
  for (const person of people) {
    const email = person.email?.trim();
    if (email) alternatives.push(escapeRegExp(email));
    const phone = person.phone ? phonePattern(person.phone) : null;
    if (phone) alternatives.push(`(?<!\\d)${phone}`);
    const name = person.name?.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (name) for (const word of [name, ...nameParts(name)]) words.add(word);
  }
  for (const word of [...words].sort((a, b) => b.length - a.length))
    alternatives.push(`${WORD_BOUNDARY_BEFORE}${escapeRegExp(word).replace(/ /g, '\\s+')}${WORD_BOUNDARY_AFTER}`);
  return alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'giu');
}

// The text with every mention of the person (or of any of the forms given) replaced by PERSON_PLACEHOLDER; unchanged when it names them nowhere.
export function redactPerson(text: string, person: PersonToRecognise | readonly PersonToRecognise[]): string {
  const pattern = personPattern(Array.isArray(person) ? person : [person as PersonToRecognise]);
  if (!pattern) return text;
  const normalized = text.normalize('NFC');
  const redacted = normalized.replace(pattern, PERSON_PLACEHOLDER);
  return redacted === normalized ? text : redacted;
}

// For nullable fields: null stays null.
export const redactPersonOrNull = (text: string | null, person: PersonToRecognise | readonly PersonToRecognise[]): string | null =>
  text === null ? null : redactPerson(text, person);

export const namesPerson = (text: string, person: PersonToRecognise | readonly PersonToRecognise[]): boolean => redactPerson(text, person) !== text;

import { namesPerson, PERSON_PLACEHOLDER, redactPerson, redactPersonOrNull } from './person-text';

const ada = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958' };

describe('redactPerson', () => {
  it('replaces the full name with one placeholder, whatever the case', () => {
    // Arrange
    const text = 'Call with ada LOVELACE about the renewal';

    // Act
    const redacted = redactPerson(text, ada);

    // Assert
    expect(redacted).toBe(`Call with ${PERSON_PLACEHOLDER} about the renewal`);
  });

  it('replaces each name part of three letters or more on its own', () => {
    // Arrange
    const text = 'Lovelace renewal; Ada said yes';

    // Act
    const redacted = redactPerson(text, ada);

    // Assert
    expect(redacted).toBe('[person] renewal; [person] said yes');
  });

  it('leaves words that only contain a name part alone (Adam, Adaline, Lovelaces)', () => {
    // Arrange
    const text = 'Adam and Adaline met the Lovelaces; ada-lovelace.com is down';

    // Act
    const redacted = redactPerson(text, { name: 'Ada Lovelace' });

    // Assert
    expect(redacted).toBe('Adam and Adaline met the Lovelaces; [person]-[person].com is down');
  });

  it('recognises names with accents, in composed or decomposed form, and keeps accented neighbours whole', () => {
    // Arrange
    const person = { name: 'Zoë Ångström-Núñez' };
    const decomposed = 'Lunch with zoe\u0308 and ÅNGSTRÖM-NÚÑEZ; Zoëlle is someone else'.normalize('NFD');

    // Act
    const redacted = redactPerson(decomposed, person);

    // Assert
    expect(redacted).toBe('Lunch with [person] and [person]; Zoëlle is someone else');
  });

  it('skips name parts shorter than three letters but still replaces the full name', () => {
    // Arrange
    const person = { name: 'Li Wu' };

    // Act
    const redacted = redactPerson('Li Wu called; Li from support and Wu too', person);

    // Assert
    expect(redacted).toBe('[person] called; Li from support and Wu too');
  });

  it('replaces the e-mail address in any case and the phone number however it is spaced, but not a longer number', () => {
    // Arrange
    const text = 'Mail ADA@Example.com or ring 442079460958 / +44 (20) 7946-0958; not +44 20 7946 09581';

    // Act
    const redacted = redactPerson(text, { email: ada.email, phone: ada.phone });

    // Assert
    expect(redacted).toBe('Mail [person] or ring [person] / [person]; not +44 20 7946 09581');
  });

  it('returns the text unchanged (the same string) when it names no one, and when nothing is known of the person', () => {
    // Arrange
    const text = 'Quarterly renewal for Acme';

    // Act
    const unchanged = redactPerson(text, ada);
    const unknown = redactPerson('Ada Lovelace', { name: '', email: null, phone: null });

    // Assert
    expect(unchanged).toBe(text);
    expect(unknown).toBe('Ada Lovelace');
    expect(namesPerson(text, ada)).toBe(false);
    expect(namesPerson('ada@example.com', ada)).toBe(true);
  });

  it('treats characters of regular expressions in a name or e-mail literally', () => {
    // Arrange
    const person = { name: 'Ann (Q.) Smith', email: 'a+b@x.io' };

    // Act
    const redacted = redactPerson('Ann (Q.) Smith wrote from a+b@x.io, not aab@x.io', person);

    // Assert
    expect(redacted).toBe('[person] wrote from [person], not aab@x.io');
  });

  it('keeps null as null for optional fields', () => {
    // Arrange, Act, Assert
    expect(redactPersonOrNull(null, ada)).toBeNull();
    expect(redactPersonOrNull('Ada', ada)).toBe('[person]');
  });

  it('recognises every form of the person given at once, an e-mail whole even when a name part starts it', () => {
    // Arrange: what one service knows (a lead snapshot's name) and another form (a contact's name and e-mail)
    const forms = [{ name: 'Ada' }, { name: 'Ada Lovelace', email: 'ada.l@example.com' }];

    // Act
    const redacted = redactPerson('Mail ada.l@example.com, ask Ada Lovelace or Ada', forms);

    // Assert
    expect(redacted).toBe('Mail [person], ask [person] or [person]');
  });
});

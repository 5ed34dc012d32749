import { accountNameOrNone, erasedContact, normalizeAccountName, parseContactRole, personalKeyOf, planNewContact } from './account';

describe('accounts and contact roles', () => {
  it('treats case and spacing as the same account, and a blank name as none', () => {
    expect(normalizeAccountName('  ACME   Corp ')).toBe(normalizeAccountName('Acme Corp'));
    expect(accountNameOrNone('   ')).toBeNull();
    expect(accountNameOrNone(' Initech ')).toBe('Initech');
  });

  it('accepts the closed set of roles and names the field otherwise', () => {
    expect(parseContactRole('CHAMPION')).toBe('CHAMPION');
    expect(() => parseContactRole('BOSS', 'contacts[0].role')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field: 'contacts[0].role' }) }),
    );
  });

  it("seals a contact made from a lead with the lead's key and any other with its own", () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const fields = { accountId: null, name: 'Ada', email: 'ada@example.com', phone: '+44 20 1', title: 'CFO' };
    const entered = planNewContact({ ...fields, leadId: null }, now);
    const converted = planNewContact({ ...fields, leadId: '7d3c7c8e-5f4e-4a40-9a43-7d1e0b0e9d11' }, now);

    expect(personalKeyOf(entered)).toBe(entered.id);
    expect(personalKeyOf(converted)).toBe('7d3c7c8e-5f4e-4a40-9a43-7d1e0b0e9d11');
  });

  it('erases the person and keeps the place: id, account, lead and creation stay', () => {
    const contact = planNewContact(
      { accountId: 'a', leadId: null, name: 'Ada', email: 'ada@example.com', phone: '+44 20 1', title: 'CFO' },
      new Date('2026-12-01T10:00:00Z'),
    );

    expect(erasedContact(contact)).toEqual({ ...contact, name: 'Erased person', email: null, phone: null, title: null });
  });
});

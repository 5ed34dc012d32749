import { accountNameOrNone, normalizeAccountName, parseContactRole } from './account';

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
});

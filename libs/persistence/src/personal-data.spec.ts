import { newDataKey, openPersonalData, PERSONAL_DATA_ALGORITHM, sealPersonalData } from './personal-data';

const person = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };

describe('personal data sealed with a key per person (crypto-shredding)', () => {
  it('opens with the key that sealed it and shows nothing of the person in the envelope', () => {
    // Arrange
    const key = newDataKey();

    // Act
    const envelope = sealPersonalData(key, 'lead-1', person);

    // Assert
    expect(envelope).toEqual({
      alg: PERSONAL_DATA_ALGORITHM,
      keyId: 'lead-1',
      iv: expect.any(String),
      tag: expect.any(String),
      ciphertext: expect.any(String),
    });
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
    expect(JSON.stringify(envelope)).not.toMatch(/Ada|Lovelace|ada@example|7946/);
    expect(openPersonalData(key, envelope)).toEqual(person);
  });

  it('uses a fresh IV each time, so the same person never gives the same ciphertext twice', () => {
    const key = newDataKey();
    const first = sealPersonalData(key, 'lead-1', person);
    const second = sealPersonalData(key, 'lead-1', person);
    expect(second.iv).not.toBe(first.iv);
    expect(second.ciphertext).not.toBe(first.ciphertext);
  });

  it('cannot be opened once the key is gone: any other key fails authentication', () => {
    // Arrange: the erased person's key is destroyed; all a reader can try is another key
    const envelope = sealPersonalData(newDataKey(), 'lead-1', person);

    // Act / Assert
    expect(() => openPersonalData(newDataKey(), envelope)).toThrow();
  });

  it("refuses an envelope passed off as another subject's, or altered", () => {
    const key = newDataKey();
    const envelope = sealPersonalData(key, 'lead-1', person);
    const ciphertext = Buffer.from(envelope.ciphertext, 'base64');
    ciphertext[0] ^= 1;
    expect(() => openPersonalData(key, { ...envelope, keyId: 'lead-2' })).toThrow();
    expect(() => openPersonalData(key, { ...envelope, ciphertext: ciphertext.toString('base64') })).toThrow();
  });

  it('takes only 256-bit keys', () => {
    expect(() => sealPersonalData(Buffer.alloc(16), 'lead-1', person)).toThrow('A personal data key has 32 bytes, got 16');
    expect(newDataKey()).toHaveLength(32);
  });
});

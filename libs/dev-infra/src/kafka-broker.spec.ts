import { newClusterId, storageFormatArguments } from './kafka-broker';

describe('formatting the local broker storage', () => {
  it('never draws a cluster id that starts with "-"', () => {
    // Arrange: 0xf8 0x00… encodes as "-A…" in base64url, then an ordinary id
    const draws = [Buffer.alloc(16, 0), Buffer.alloc(16, 1)];
    draws[0][0] = 0xf8;
    let call = 0;

    // Act
    const id = newClusterId(() => draws[call++]);

    // Assert
    expect(draws[0].toString('base64url').startsWith('-')).toBe(true);
    expect(id).toBe(draws[1].toString('base64url'));
    expect(call).toBe(2);
  });

  it('passes the id as the value of --cluster-id, so the tool cannot read it as an option', () => {
    // Act
    const args = storageFormatArguments('-Gvgwy7agczLpJJV6ca3Cw', '/tmp/server.properties');

    // Assert
    expect(args).toEqual(['format', '-g', '--cluster-id=-Gvgwy7agczLpJJV6ca3Cw', '-c', '/tmp/server.properties']);
  });
});

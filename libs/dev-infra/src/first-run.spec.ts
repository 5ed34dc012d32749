import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { assertPortsFree, checkBrokerPrerequisites, claimStackMarker, javaMajorVersion, SetupError } from './first-run';

const failure = async (action: () => unknown): Promise<Error | null> => {
  try {
    await action();
    return null;
  } catch (error) {
    return error as Error;
  }
};

describe('first-run checks', () => {
  it('tells a user without Java what to install and how to use their own broker instead', async () => {
    // Arrange: a PATH where neither java nor mvn can be found
    const env = { ...process.env, PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-')) };

    // Act
    const error = await failure(() => checkBrokerPrerequisites(env));

    // Assert
    expect(error).toBeInstanceOf(SetupError);
    expect(error?.message).toMatch(/Java is not installed/);
    expect(error?.message).toMatch(/apt-get install openjdk-17-jre-headless maven/);
    expect(error?.message).toMatch(/KAFKA_BROKERS=host:9092 npm start/);
  });

  it('tells a user with Java but without Maven that Maven fetches the jars', async () => {
    // Arrange: java found (a stub answering like OpenJDK 17), mvn not
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'java-only-'));
    fs.writeFileSync(path.join(bin, 'java'), '#!/bin/sh\necho \'openjdk version "17.0.15" 2025-04-15\' >&2\n', { mode: 0o755 });
    const env = { ...process.env, PATH: bin };

    // Act
    const error = await failure(() => checkBrokerPrerequisites(env));

    // Assert
    expect(error?.message).toMatch(/Maven is not installed/);
  });

  it('reads the Java major version in both the old and the new format', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('something else')).toBeNull();
  });

  it('names each port another program holds and says how to move the stack', async () => {
    // Arrange
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taken = (server.address() as net.AddressInfo).port;

    // Act
    const error = await failure(() => assertPortsFree([{ name: 'gateway', port: taken }], 'set PIPELINE_PORT_OFFSET'));
    server.close();

    // Assert
    expect(error).toBeInstanceOf(SetupError);
    expect(error?.message).toBe(`Port ${taken} (gateway) is already in use by another program. Stop it, or set PIPELINE_PORT_OFFSET`);
  });

  it('refuses a second start while the first one runs, and takes over from one that died', () => {
    // Arrange: a marker held by a live process (this test's parent) and then by a pid that cannot exist
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'marker-')), 'stack.json');
    fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, gatewayUrl: 'http://127.0.0.1:4000/graphql' }));

    // Act
    const whileRunning = (() => {
      try {
        claimStackMarker(file, { pid: process.pid, gatewayUrl: 'x' });
        return null;
      } catch (error) {
        return error as Error;
      }
    })();
    fs.writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 1, gatewayUrl: 'old' }));
    const release = claimStackMarker(file, { pid: process.pid, gatewayUrl: 'new' });
    const claimed = JSON.parse(fs.readFileSync(file, 'utf8'));
    release();

    // Assert
    expect(whileRunning?.message).toMatch(new RegExp(`already running for this checkout \\(pid ${process.ppid}\\), serving http://127.0.0.1:4000/graphql`));
    expect(claimed.gatewayUrl).toBe('new');
    expect(fs.existsSync(file)).toBe(false);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { LOCAL_JWT_SECRET, signUserToken } from '@pipeline/server-kit';
import { waitFor } from '@pipeline/testing';
import pino from 'pino';

import { gatewayConfigFromEnv } from './config';
import { type RunningGateway, startGateway } from './gateway-server';

// The gateway alone: introspection answers from the supergraph it serves, so no subgraph is needed to see a swap.
describe('supergraph file watch', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'supergraph-watch-'));
  const file = path.join(directory, 'supergraph.graphql');
  const released = fs.readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) }));
  let gateway: RunningGateway;

  const replace = (content: string) => {
    fs.writeFileSync(`${file}.next`, content);
    fs.renameSync(`${file}.next`, file);
  };
  const description = async () => {
    const token = await signUserToken({ userId: 'admin', roles: ['ADMIN'], teamId: null }, LOCAL_JWT_SECRET, '5m');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __type(name: "Query") { description } }' }),
    });
    return ((await response.json()) as any).data.__type.description as string | null;
  };

  beforeAll(async () => {
    fs.writeFileSync(file, released);
    gateway = await startGateway(gatewayConfigFromEnv({ SUPERGRAPH_PATH: file, SUPERGRAPH_POLL_MS: '50' }), logger, 0);
  });

  afterAll(async () => {
    await gateway?.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('keeps serving the last good supergraph when the new file does not compose, and takes the next good one', async () => {
    // Arrange
    const described = (text: string) => released.replace(/^type Query$/m, `"""${text}"""\ntype Query`);

    // Act
    replace(described('first'));
    const first = await waitFor(async () => ((await description()) === 'first' ? 'first' : null), { what: 'the first swap' });
    replace('type Query { this is not a supergraph');
    await waitFor(() => logLines.some((line) => line.includes('new supergraph refused')), { what: 'the broken file to be refused' });
    const afterBroken = await description();
    replace(described('second'));
    const second = await waitFor(async () => ((await description()) === 'second' ? 'second' : null), { what: 'the second swap' });

    // Assert
    expect([first, afterBroken, second]).toEqual(['first', 'first', 'second']);
    expect(logLines.filter((line) => line.includes('supergraph updated'))).toHaveLength(2);
  });
});

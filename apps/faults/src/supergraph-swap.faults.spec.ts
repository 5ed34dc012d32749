import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { workspaceRoot } from '@pipeline/dev-infra';
import { adminActor, gatewayClient, mintUserToken, waitFor } from '@pipeline/testing';

import { serviceProcess } from './faults-env';
import { failed, startLoad } from './load';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

// As Kubernetes updates a mounted ConfigMap: the new content appears at once (write beside, then rename over).
const replace = (file: string, content: string) => {
  fs.writeFileSync(`${file}.next`, content);
  fs.renameSync(`${file}.next`, file);
};

describe('a new supergraph swapped in while the gateway serves', () => {
  it('is picked up without a restart and without failing a request', async () => {
    // Arrange
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'supergraph-'));
    const file = path.join(directory, 'supergraph.graphql');
    const released = fs.readFileSync(path.join(workspaceRoot(), 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
    fs.writeFileSync(file, released);
    // An observable difference that changes nothing else: a description on Query.
    const next = released.replace(/^type Query$/m, '"""Swapped in while serving"""\ntype Query');
    expect(next).not.toBe(released);
    const gateway = serviceProcess('gateway', { SUPERGRAPH_PATH: file, SUPERGRAPH_POLL_MS: '200' }, await freePort());
    await gateway.start();
    const admin = gatewayClient(gateway.url, await mintUserToken(adminActor()));
    const description = async () => ((await admin<any>('{ __type(name: "Query") { description } }')).data?.__type?.description ?? null) as string | null;

    try {
      // Act
      const load = startLoad(admin, () => ['{ pipelines { id name stages { key probability } } }']);
      await waitFor(() => load.outcomes.length >= 20, { timeoutMs: 30_000, what: 'load before the swap' });
      const beforeSwap = load.outcomes.length;
      const before = await description();
      replace(file, next);
      const after = await waitFor(async () => ((await description()) === 'Swapped in while serving' ? 'swapped' : null), {
        timeoutMs: 20_000,
        what: 'the gateway to serve the new supergraph',
      });
      const atSwap = load.outcomes.length;
      await waitFor(() => load.outcomes.length >= atSwap + 20, { timeoutMs: 30_000, what: 'load after the swap' });
      const outcomes = await load.stop();

      // Assert
      expect(before).toBeNull();
      expect(after).toBe('swapped');
      expect(beforeSwap).toBeGreaterThan(0);
      expect(outcomes.length).toBeGreaterThan(atSwap);
      expect(failed(outcomes)).toEqual([]);
      expect(gateway.child?.exitCode).toBeNull();
    } finally {
      await gateway.kill();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

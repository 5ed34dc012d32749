import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createServiceProcess, serviceCommand } from './stack';
import { workspaceRoot } from './workspace';

describe('service processes', () => {
  it('fails a start at once, with the log tail, when the process exits while starting', async () => {
    // Arrange: an app without a main, so node exits with an error straight away
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-'));
    const service = createServiceProcess({ name: 'ghost', app: 'no-such-app', port: 4999 }, 0, process.env, { logDir });

    // Act
    const failure = await service.start().then(
      () => null,
      (error: Error) => error.message,
    );

    // Assert
    expect(failure).toMatch(/^ghost exited during start-up \(code 1\)/);
    expect(failure).toMatch(/last lines of .*ghost\.log:\n.*Cannot find module/s);
  });

  it('runs a service from source, or from its production bundle when asked (as benchmarks do)', () => {
    // Arrange
    const spec = { name: 'ghost', app: 'no-such-app', port: 4999 };

    // Act
    const fromSource = serviceCommand(spec, {});
    const missingBundle = () => serviceCommand(spec, { PIPELINE_SERVICES_FROM: 'bundles' });

    // Assert
    expect(fromSource).toEqual(['--import', 'tsx', path.join(workspaceRoot(), 'apps', 'no-such-app', 'src', 'main.ts')]);
    expect(missingBundle).toThrow(/dist\/apps\/no-such-app\/main\.js is missing: run `npx nx build no-such-app` first/);
  });
});

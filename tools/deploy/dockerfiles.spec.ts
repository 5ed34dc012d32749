import fs from 'node:fs';

import { APPS, fromRoot, GATEWAY, SUBGRAPHS } from './deploy-facts';
import { dockerfileProblems, dockerignoreProblems, envOf, parseDockerfile } from './dockerfile';

const dockerfileOf = (app: string): string => fromRoot('apps', app, 'Dockerfile');

describe('service Dockerfiles', () => {
  it.each(APPS)('apps/$app/Dockerfile exists', ({ app }) => {
    // Arrange
    const file = dockerfileOf(app);

    // Act
    const exists = fs.existsSync(file);

    // Assert
    expect(exists).toBe(true);
  });

  it.each(APPS)('apps/$app/Dockerfile builds, exposes $port and runs the bundle as the node user', (facts) => {
    // Arrange
    const text = fs.readFileSync(dockerfileOf(facts.app), 'utf8');

    // Act
    const problems = dockerfileProblems(text, facts);

    // Assert
    expect(problems).toEqual([]);
  });

  it.each(APPS)('apps/$app/Dockerfile has a build stage for its own app and a node:20 runtime stage', ({ app, port }) => {
    // Arrange
    const text = fs.readFileSync(dockerfileOf(app), 'utf8');

    // Act
    const stages = parseDockerfile(text);
    const runtime = stages[stages.length - 1];
    const runtimeKeywords = runtime.instructions.map((instruction) => instruction.keyword);

    // Assert
    expect(stages[0].instructions.some(({ keyword, args }) => keyword === 'RUN' && new RegExp(`^npx nx build ${app}(\\s|$)`).test(args))).toBe(true);
    expect(runtime.image).toMatch(/^node:20(-|$)/);
    expect(runtime.instructions).toEqual(
      expect.arrayContaining([expect.objectContaining({ keyword: 'USER', args: 'node' }), expect.objectContaining({ keyword: 'EXPOSE', args: String(port) })]),
    );
    expect(runtimeKeywords).toContain('HEALTHCHECK');
    expect(runtime.instructions.filter(({ keyword }) => keyword === 'CMD').map(({ args }) => JSON.parse(args))).toEqual([['node', 'main.js']]);
    expect(envOf(runtime)).toMatchObject({ NODE_ENV: 'production' });
  });

  it('each Dockerfile builds only its own app (no copy-paste left over)', () => {
    // Arrange
    const others = (app: string) => APPS.filter((facts) => facts.app !== app).map((facts) => facts.app);

    // Act
    const leftovers = APPS.flatMap(({ app }) => {
      const text = fs.readFileSync(dockerfileOf(app), 'utf8');
      return others(app)
        .filter((other) => new RegExp(`(?:nx build |dist/apps/)${other}\\b`).test(text))
        .map((other) => `${app} mentions ${other}`);
    });

    // Assert
    expect(leftovers).toEqual([]);
  });

  it('the gateway image carries the supergraph beside main.js; subgraph images carry their schema', () => {
    // Arrange
    const gatewayProject = JSON.parse(fs.readFileSync(fromRoot('apps', GATEWAY.app, 'project.json'), 'utf8'));

    // Act
    const gatewayAssets = JSON.stringify(gatewayProject.targets.build.options.assets);
    const outputPaths = APPS.map(({ app }) => JSON.parse(fs.readFileSync(fromRoot('apps', app, 'project.json'), 'utf8')).targets.build.options.outputPath);

    // Assert: the runtime stage copies dist/apps/<app>, so the build must write there, assets included.
    expect(gatewayAssets).toContain('supergraph.graphql');
    expect(outputPaths).toEqual(APPS.map(({ app }) => `dist/apps/${app}`));
    expect(SUBGRAPHS.every(({ app }) => fs.readdirSync(fromRoot('apps', app, 'src', 'schema')).some((file) => file.endsWith('.graphql')))).toBe(true);
  });

  it('.dockerignore keeps local installs, build output and local state out of the build context', () => {
    // Arrange
    const text = fs.readFileSync(fromRoot('.dockerignore'), 'utf8');

    // Act
    const problems = dockerignoreProblems(text);

    // Assert
    expect(problems).toEqual([]);
  });

  it('.dockerignore keeps the sources and manifests the build needs', () => {
    // Arrange
    const patterns = fs
      .readFileSync(fromRoot('.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const needed = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'apps', 'libs', 'apps/gateway/supergraph.graphql'];

    // Act
    const excluded = needed.filter((file) =>
      patterns.some(
        (pattern) => pattern === file || pattern === `/${file}` || pattern === '*' || pattern === '**' || file.startsWith(`${pattern.replace(/\/$/, '')}/`),
      ),
    );

    // Assert
    expect(excluded).toEqual([]);
  });

  describe('the checks bite', () => {
    const gatewayText = () => fs.readFileSync(dockerfileOf(GATEWAY.app), 'utf8');

    it.each([
      ['runs as root', (text: string) => text.replace(/^USER node$/m, ''), 'runs as root'],
      ['exposes the wrong port', (text: string) => text.replace(/^EXPOSE 4000$/m, 'EXPOSE 4001'), 'EXPOSE 4000'],
      ['has no HEALTHCHECK', (text: string) => text.replace(/^HEALTHCHECK[\s\S]*?\n(?=CMD)/m, ''), 'HEALTHCHECK'],
      ['probes with curl', (text: string) => text.replace(/CMD \["node", "-e".*\]$/m, 'CMD curl -f http://127.0.0.1:4000/health/live'), 'curl'],
      ['uses the shell form of CMD', (text: string) => text.replace('CMD ["node", "main.js"]', 'CMD node main.js'), 'exec form'],
      ['builds another app', (text: string) => text.replace('nx build gateway', 'nx build lead-subgraph'), 'nx build gateway'],
      [
        'runs on a different base image',
        (text: string) => text.replace(/FROM node:20-bookworm-slim AS runtime/, 'FROM node:22-alpine AS runtime'),
        'node:22-alpine',
      ],
      ['installs dev dependencies at runtime', (text: string) => text.replace('npm ci --omit=dev', 'npm ci'), '--omit=dev'],
      [
        'bakes a secret into the image',
        (text: string) => text.replace('ENV NODE_ENV=production', 'ENV NODE_ENV=production INTERNAL_AUTH_SECRET=abc'),
        'INTERNAL_AUTH_SECRET',
      ],
    ])('a gateway Dockerfile that %s is reported', (_label, mutate, expected) => {
      // Arrange
      const broken = mutate(gatewayText());

      // Act
      const problems = dockerfileProblems(broken, GATEWAY);

      // Assert
      expect(broken).not.toEqual(gatewayText());
      expect(problems.join('\n')).toContain(expected);
    });

    it('a .dockerignore that lets node_modules and .git in is reported', () => {
      // Arrange
      const text = 'dist\n.local\n.nx\ncoverage\ntmp\n';

      // Act
      const problems = dockerignoreProblems(text);

      // Assert
      expect(problems).toEqual(['.dockerignore does not exclude node_modules', '.dockerignore does not exclude .git']);
    });
  });
});

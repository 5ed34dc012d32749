import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { APPS, fromRoot, GATEWAY, SUBGRAPHS, subgraphUrlVariable } from './deploy-facts';

interface LintMessage {
  rule: string;
  type: 'error' | 'warning';
  message: string;
  line: number;
}

interface LintResult {
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
}

// dclint through its CLI, as CI or a developer runs it; its JSON report is on stdout whatever the exit code.
function runDclint(file: string): { status: number | null; results: LintResult[] } {
  const bin = fromRoot('node_modules', '.bin', 'dclint');
  const run = spawnSync(process.execPath, [bin, '--formatter', 'json', file], { cwd: fromRoot(), encoding: 'utf8' });
  const json = run.stdout.slice(run.stdout.indexOf('['));
  if (!json.startsWith('[')) throw new Error(`dclint printed no JSON report (exit ${run.status}): ${run.stdout}${run.stderr}`);
  return { status: run.status, results: JSON.parse(json) as LintResult[] };
}

const composeFile = (): string => fromRoot('docker-compose.yml');

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target?: number; published?: string | number; host_ip?: string }>;
  healthcheck?: { test?: string[] | string };
  volumes?: string[];
}

interface ComposeDocument {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

// The document as Compose sees it: YAML merge keys (<<) resolved; ${VAR:-default} left as written.
const loadCompose = (): ComposeDocument => YAML.parse(fs.readFileSync(composeFile(), 'utf8'), { merge: true }) as ComposeDocument;

function environmentOf(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const separator = entry.indexOf('=');
      if (separator > 0) env[entry.slice(0, separator)] = entry.slice(separator + 1);
    }
  } else {
    for (const [name, value] of Object.entries(service.environment ?? {})) if (value !== null && value !== undefined) env[name] = String(value);
  }
  return env;
}

function dependenciesOf(service: ComposeService): Record<string, string> {
  if (Array.isArray(service.depends_on)) return Object.fromEntries(service.depends_on.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([name, spec]) => [name, spec.condition ?? 'service_started']));
}

// "127.0.0.1:4000:4000" or the long form -> host port and container port.
function publishedPorts(service: ComposeService): Array<{ host: number; container: number }> {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'string') {
      const parts = port.split('/')[0].split(':');
      return { host: Number(parts[parts.length - 2]), container: Number(parts[parts.length - 1]) };
    }
    return { host: Number(port.published), container: Number(port.target) };
  });
}

const healthcheckCommand = (service: ComposeService): string => {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
};

// ${NAME:-default} (or ${NAME}): the value comes from the environment, with at most a local fallback.
const INTERPOLATED = /^\$\{([A-Z][A-Z0-9_]*)(?::?[-?]([^}]*))?\}$/;
// ${NAME:?message}: compose refuses to start without it.
const REQUIRED = /^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/;

describe('docker-compose.yml', () => {
  it('passes dclint with no errors', () => {
    // Arrange
    const file = composeFile();

    // Act
    const { status, results } = runDclint(file);

    // Assert
    const errors = results.flatMap((result) => result.messages.filter((message) => message.type === 'error'));
    expect(errors).toEqual([]);
    expect(results.map((result) => result.errorCount)).toEqual([0]);
    expect(status).toBe(0);
  });

  describe('dclint bites: a broken copy of the file is reported', () => {
    let scratch: string;

    beforeEach(() => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-lint-'));
    });

    afterEach(() => {
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it.each([
      ['an unknown depends_on condition', ['services', 'gateway', 'depends_on', 'lead-subgraph', 'condition'], 'service_ready'],
      ['a misspelt service key', ['services', 'postgres', 'helthcheck'], { test: ['CMD', 'true'] }],
      ['ports given as a number', ['services', 'gateway', 'ports'], 4000],
      ['an image without a tag', ['services', 'kafka', 'image'], 'apache/kafka'],
    ])('%s', (_label, fieldPath, value) => {
      // Arrange
      const document = YAML.parseDocument(fs.readFileSync(composeFile(), 'utf8'));
      document.setIn(fieldPath, value);
      const broken = path.join(scratch, 'docker-compose.yml');
      fs.writeFileSync(broken, document.toString());

      // Act
      const { status, results } = runDclint(broken);

      // Assert
      expect(results[0].errorCount).toBeGreaterThan(0);
      expect(status).not.toBe(0);
    });
  });

  it('defines the five services plus postgres and kafka, under a project name', () => {
    // Arrange
    const compose = loadCompose();

    // Act
    const names = Object.keys(compose.services).sort();

    // Assert
    expect(names).toEqual([...APPS.map(({ app }) => app), 'kafka', 'postgres'].sort());
    expect(compose.name).toBe('sales-pipeline');
  });

  it('runs postgres:16 with a pg_isready healthcheck and a volume', () => {
    // Arrange
    const { postgres } = loadCompose().services;

    // Act
    const healthcheck = healthcheckCommand(postgres);

    // Assert
    expect(postgres.image).toBe('postgres:16');
    expect(healthcheck).toContain('pg_isready');
    expect(postgres.volumes).toEqual(expect.arrayContaining([expect.stringMatching(/:\/var\/lib\/postgresql\/data$/)]));
  });

  it('runs apache/kafka:4.1.1 as a single combined KRaft broker and controller with replication factor 1', () => {
    // Arrange
    const { kafka } = loadCompose().services;

    // Act
    const env = environmentOf(kafka);

    // Assert
    expect(kafka.image).toBe('apache/kafka:4.1.1');
    expect(env).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_NODE_ID: '1',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://kafka:9092',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    });
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(env.KAFKA_LISTENERS).toContain('CONTROLLER://:9093');
    expect(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',')).toEqual(expect.arrayContaining(['CONTROLLER:PLAINTEXT', 'PLAINTEXT:PLAINTEXT']));
    expect(healthcheckCommand(kafka)).toContain('--bootstrap-server localhost:9092');
  });

  it.each(APPS)('$app builds from apps/$app/Dockerfile with the repository root as context', ({ app }) => {
    // Arrange
    const service = loadCompose().services[app];

    // Act
    const dockerfile = service.build?.dockerfile ?? '';

    // Assert
    expect(service.build?.context).toBe('.');
    expect(dockerfile).toBe(`apps/${app}/Dockerfile`);
    expect(fs.existsSync(fromRoot(dockerfile))).toBe(true);
  });

  it('the gateway listens on and publishes port 4000, on the loopback interface only', () => {
    // Arrange
    const service = loadCompose().services[GATEWAY.app];

    // Act
    const ports = publishedPorts(service);

    // Assert
    expect(ports).toEqual([{ host: GATEWAY.port, container: GATEWAY.port }]);
    expect(service.ports).toEqual([`127.0.0.1:${GATEWAY.port}:${GATEWAY.port}`]);
    expect(environmentOf(service).PORT).toBe(String(GATEWAY.port));
  });

  it.each(SUBGRAPHS)('$app listens on port $port inside the network and publishes nothing on the host', ({ app, port }) => {
    // Arrange
    const service = loadCompose().services[app];

    // Act
    const ports = publishedPorts(service);

    // Assert: only the gateway verifies end-user tokens, so nothing may reach a subgraph around it
    expect(ports).toEqual([]);
    expect(environmentOf(service).PORT).toBe(String(port));
  });

  it.each(APPS)('$app has a healthcheck on its own /health/ready', ({ app, port }) => {
    // Arrange
    const service = loadCompose().services[app];

    // Act
    const healthcheck = healthcheckCommand(service);

    // Assert
    expect(healthcheck).toContain(`http://127.0.0.1:${port}/health/ready`);
    expect(healthcheck).not.toMatch(/\b(curl|wget)\b/);
  });

  it.each(SUBGRAPHS)('$app waits for healthy postgres and kafka', ({ app }) => {
    // Arrange
    const service = loadCompose().services[app];

    // Act
    const dependencies = dependenciesOf(service);

    // Assert
    expect(dependencies).toMatchObject({ postgres: 'service_healthy', kafka: 'service_healthy' });
  });

  it('the gateway waits for the four subgraphs to be healthy', () => {
    // Arrange
    const gateway = loadCompose().services[GATEWAY.app];

    // Act
    const dependencies = dependenciesOf(gateway);

    // Assert
    expect(dependencies).toEqual(Object.fromEntries(SUBGRAPHS.map(({ app }) => [app, 'service_healthy'])));
  });

  it('postgres and kafka have healthchecks, so service_healthy can be met', () => {
    // Arrange
    const compose = loadCompose();

    // Act
    const awaited = new Set(
      Object.values(compose.services).flatMap((service) =>
        Object.entries(dependenciesOf(service))
          .filter(([, condition]) => condition === 'service_healthy')
          .map(([name]) => name),
      ),
    );

    // Assert
    expect([...awaited].filter((name) => !compose.services[name]?.healthcheck?.test)).toEqual([]);
  });

  it.each(SUBGRAPHS)('$app gets PORT, a database URL, KAFKA_BROKERS and INTERNAL_AUTH_SECRET', ({ app, service }) => {
    // Arrange
    const env = environmentOf(loadCompose().services[app]);

    // Act
    const databaseUrl = env[`${(service as string).toUpperCase()}_DATABASE_URL`] ?? env.DATABASE_URL;

    // Assert
    expect(env.PORT).toBeTruthy();
    expect(databaseUrl).toMatch(/^postgres(ql)?:\/\//);
    expect(env.KAFKA_BROKERS).toBeTruthy();
    expect(env.INTERNAL_AUTH_SECRET).toBeTruthy();
  });

  it.each(SUBGRAPHS)('$app reaches the compose postgres and kafka services', ({ app }) => {
    // Arrange
    const compose = loadCompose();
    const env = environmentOf(compose.services[app]);
    const advertised = environmentOf(compose.services.kafka).KAFKA_ADVERTISED_LISTENERS;

    // Act
    const database = new URL(env.DATABASE_URL.replace(/\$\{[^}]*\}/g, 'interpolated'));
    const brokers = env.KAFKA_BROKERS.split(',');

    // Assert
    expect(database.hostname).toBe('postgres');
    expect(database.port).toBe('5432');
    expect(brokers.every((broker) => advertised.includes(`://${broker}`))).toBe(true);
  });

  it('the gateway gets PORT, INTERNAL_AUTH_SECRET, AUTH_JWT_SECRET and the four subgraph URLs', () => {
    // Arrange
    const env = environmentOf(loadCompose().services[GATEWAY.app]);

    // Act
    const required = ['PORT', 'INTERNAL_AUTH_SECRET', 'AUTH_JWT_SECRET', ...SUBGRAPHS.map(subgraphUrlVariable)];

    // Assert
    expect(required.filter((name) => !env[name])).toEqual([]);
  });

  it.each(SUBGRAPHS)("the gateway's URL for $app names that compose service and its port", (subgraph) => {
    // Arrange
    const compose = loadCompose();
    const env = environmentOf(compose.services[GATEWAY.app]);

    // Act
    const url = new URL(env[subgraphUrlVariable(subgraph)]);

    // Assert
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe(subgraph.app);
    expect(compose.services[url.hostname]).toBeDefined();
    expect(Number(url.port)).toBe(subgraph.port);
    expect(url.pathname).toBe('/graphql');
  });

  it('secrets come only from the environment or .env, required, with no fallback value in the file', () => {
    // Arrange
    const compose = loadCompose();
    const secretNames = /SECRET|PASSWORD|TOKEN/;

    // Act
    const notRequired = Object.entries(compose.services).flatMap(([name, service]) =>
      Object.entries(environmentOf(service))
        .filter(([variable, value]) => secretNames.test(variable) && !REQUIRED.test(value))
        .map(([variable, value]) => `${name}.${variable}=${value}`),
    );

    // Assert
    expect(notRequired).toEqual([]);
    expect(fs.readFileSync(composeFile(), 'utf8')).not.toMatch(/change-me|:-local-/);
  });

  it('.env.example names every variable compose requires, with no values, and .env stays out of git', () => {
    // Arrange
    const required = new Set([...fs.readFileSync(composeFile(), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((match) => match[1]));
    const example = fs
      .readFileSync(fromRoot('.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z]/.test(line));

    // Act
    const listed = new Set(example.map((line) => line.split('=')[0]));
    const valued = example.filter((line) => line.split('=')[1] !== '');
    const ignored = spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: fromRoot() }).status === 0;

    // Assert
    expect([...listed].sort()).toEqual([...required].sort());
    expect(valued).toEqual([]);
    expect(ignored).toBe(true);
  });

  it('every service shares one INTERNAL_AUTH_SECRET, and DATABASE_URL carries the postgres password variable', () => {
    // Arrange
    const compose = loadCompose();

    // Act
    const internalSecrets = new Set(APPS.map(({ app }) => environmentOf(compose.services[app]).INTERNAL_AUTH_SECRET));
    const postgresPassword = environmentOf(compose.services.postgres).POSTGRES_PASSWORD;

    // Assert
    expect(internalSecrets.size).toBe(1);
    expect(postgresPassword).toMatch(INTERPOLATED);
    for (const { app } of SUBGRAPHS) expect(environmentOf(compose.services[app]).DATABASE_URL).toContain(`:${postgresPassword}@`);
  });
});

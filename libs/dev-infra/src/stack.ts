import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import { waitUntil, workspaceRoot } from './workspace';

export interface ServiceSpec {
  name: string;
  app: string;
  port: number;
}

export const SUBGRAPHS: ServiceSpec[] = [
  { name: 'lead', app: 'lead-subgraph', port: 4001 },
  { name: 'opportunity', app: 'opportunity-subgraph', port: 4002 },
  { name: 'deal', app: 'deal-subgraph', port: 4003 },
  { name: 'analytics', app: 'analytics-subgraph', port: 4004 },
  { name: 'engagement', app: 'engagement-subgraph', port: 4005 },
];
export const GATEWAY: ServiceSpec = { name: 'gateway', app: 'gateway', port: 4000 };

export interface StackOptions {
  databaseUrl: string;
  kafkaBrokers: string;
  databasePrefix?: string;
  topicPrefix?: string;
  portOffset?: number;
  jwtSecret: string;
  internalSecret: string;
  env?: NodeJS.ProcessEnv;
  // 'inherit' prefixes each service's output on this terminal; a folder writes one log file per service.
  output: 'inherit' | { logDir: string };
  log?: (message: string) => void;
}

export interface ServiceProcess {
  spec: ServiceSpec;
  port: number;
  url: string;
  baseUrl: string;
  child: ChildProcess | null;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface RunningStack {
  gatewayUrl: string;
  services: Record<string, ServiceProcess>;
  // The environment every service got, for starting extra processes (a second analytics, a restarted copy).
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

// Throws what the probe saw, so a start-up that times out says whether the port was closed or which check failed.
async function probeReady(baseUrl: string): Promise<true> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`no answer from /health/ready (${cause})`);
  }
  if (response.ok) return true;
  throw new Error(`/health/ready answered ${response.status} ${await response.text().catch(() => '')}`);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// Runs each service from source in its own process (as in production: one process, one port, one database each).
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const root = workspaceRoot();
  const offset = options.portOffset ?? 0;
  const log = options.log ?? (() => undefined);
  const portOf = (spec: ServiceSpec) => spec.port + offset;
  const subgraphUrl = (spec: ServiceSpec) => `http://127.0.0.1:${portOf(spec)}/graphql`;

  const commonEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    DATABASE_PREFIX: options.databasePrefix ?? 'pipeline',
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: options.topicPrefix ?? '',
    AUTH_JWT_SECRET: options.jwtSecret,
    INTERNAL_AUTH_SECRET: options.internalSecret,
    TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.base.json'),
    ...Object.fromEntries(SUBGRAPHS.map((spec) => [`${spec.name.toUpperCase()}_SUBGRAPH_URL`, subgraphUrl(spec)])),
  };

  const makeProcess = (spec: ServiceSpec): ServiceProcess => createServiceProcess(spec, portOf(spec), commonEnv, options.output, log);

  const services: Record<string, ServiceProcess> = Object.fromEntries([...SUBGRAPHS, GATEWAY].map((spec) => [spec.name, makeProcess(spec)]));
  const stop = async () => {
    await services.gateway.kill();
    await Promise.all(SUBGRAPHS.map((spec) => services[spec.name].kill()));
  };
  try {
    // Subgraphs first, in parallel; the gateway composes nothing at runtime but forwards to them.
    const started = await Promise.allSettled(SUBGRAPHS.map((spec) => services[spec.name].start()));
    const failures = started.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    // Every failure, not just the first: one slow service and four stuck ones point at different causes.
    if (failures.length > 0) throw new Error(failures.join('\n'));
    await services.gateway.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl: services.gateway.url, services, env: commonEnv, stop };
}

// From source through tsx, or with PIPELINE_SERVICES_FROM=bundles as the images run it: `node main.js` of the bundle `nx build` wrote.
export function serviceCommand(spec: ServiceSpec, env: NodeJS.ProcessEnv): string[] {
  const root = workspaceRoot();
  if (env.PIPELINE_SERVICES_FROM !== 'bundles') return ['--import', 'tsx', path.join(root, 'apps', spec.app, 'src', 'main.ts')];
  const bundle = path.join(root, 'dist', 'apps', spec.app, 'main.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npx nx build ${spec.app}\` first`);
  // Flags Node refuses in NODE_OPTIONS, e.g. --cpu-prof for the benchmarks' profiles.
  const flags = env.PIPELINE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return [...flags, bundle];
}

// One service as its own process (from source unless bundles are asked for): start waits for /health/ready, kill waits for the exit.
export function createServiceProcess(
  spec: ServiceSpec,
  port: number,
  env: NodeJS.ProcessEnv,
  output: StackOptions['output'],
  log: (message: string) => void = () => undefined,
): ServiceProcess {
  const root = workspaceRoot();
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    spec,
    port,
    baseUrl,
    url: `${baseUrl}/graphql`,
    child: null,
    async start() {
      const child = spawn(process.execPath, serviceCommand(spec, env), {
        cwd: root,
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      service.child = child;
      const logFile = output === 'inherit' ? null : path.join(output.logDir, `${spec.name}.log`);
      let logWritten: Promise<void> = Promise.resolve();
      if (logFile === null) {
        for (const stream of [child.stdout, child.stderr]) {
          if (stream) readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${spec.name}] ${line}\n`));
        }
      } else {
        fs.mkdirSync(path.dirname(logFile), { recursive: true });
        const file = fs.createWriteStream(logFile, { flags: 'a' });
        // Two sources into one file: the file closes when the process's streams have both closed, not the first.
        child.stdout?.pipe(file, { end: false });
        child.stderr?.pipe(file, { end: false });
        logWritten = new Promise((resolve) => child.once('close', () => file.end(resolve)));
      }
      // A process that dies while starting fails the start at once instead of after the whole deadline.
      let dead = false;
      const exited = new Promise<never>((_resolve, reject) =>
        child.once('exit', (code, signal) => {
          dead = true;
          reject(new Error(`${spec.name} exited during start-up (${signal ?? `code ${code}`})`));
        }),
      );
      try {
        await Promise.race([waitUntil(async () => dead || probeReady(baseUrl), 120_000, `${spec.name} to be ready at ${baseUrl}`, 200), exited]);
      } catch (error) {
        if (dead) await logWritten;
        const recent = logFile ? tail(logFile, 20) : '';
        throw new Error(`${(error as Error).message}${recent ? `\nlast lines of ${logFile}:\n${recent}` : ''}`);
      }
      log(`${spec.name} ready at ${service.url}`);
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      const child = service.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      service.child = null;
    },
  };
  return service;
}

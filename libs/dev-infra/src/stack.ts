import { spawn, type ChildProcess } from 'node:child_process';
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

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
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
    await Promise.all(SUBGRAPHS.map((spec) => services[spec.name].start()));
    await services.gateway.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl: services.gateway.url, services, env: commonEnv, stop };
}

// One service as its own process, from source: start waits for /health/ready, kill waits for the exit.
export function createServiceProcess(spec: ServiceSpec, port: number, env: NodeJS.ProcessEnv, output: StackOptions['output'], log: (message: string) => void = () => undefined): ServiceProcess {
  const root = workspaceRoot();
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    spec,
    port,
    baseUrl,
    url: `${baseUrl}/graphql`,
    child: null,
    async start() {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps', spec.app, 'src', 'main.ts')], {
        cwd: root,
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      service.child = child;
      if (output === 'inherit') {
        for (const stream of [child.stdout, child.stderr]) {
          if (stream) readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${spec.name}] ${line}\n`));
        }
      } else {
        fs.mkdirSync(output.logDir, { recursive: true });
        const file = fs.createWriteStream(path.join(output.logDir, `${spec.name}.log`), { flags: 'a' });
        child.stdout?.pipe(file);
        child.stderr?.pipe(file);
      }
      let exited = false;
      child.once('exit', () => {
        exited = true;
      });
      await waitUntil(
        async () => {
          if (exited) throw new Error(`${spec.name} exited during start-up (code ${child.exitCode})`);
          return isReady(baseUrl);
        },
        120_000,
        `${spec.name} to be ready at ${baseUrl}`,
        200,
      );
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

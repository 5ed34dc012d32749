import path from 'node:path';

import { createServiceProcess, ensureKafkaBroker, GATEWAY, type KafkaBroker, type ServiceProcess, SUBGRAPHS, workspaceRoot } from '@pipeline/dev-infra';
import type { Actor } from '@pipeline/domain';
import { withDatabase } from '@pipeline/persistence';
import { gatewayClient, type GraphQLCall, mintUserToken } from '@pipeline/testing';
import { Client } from 'pg';

// The fault suite's own broker: it may be stopped and restarted without touching other suites.
export const FAULTS_BROKER = { name: 'faults', port: 29192, controllerPort: 29193 };

export const gatewayUrl = (): string => process.env.E2E_GATEWAY_URL as string;
export const topicPrefix = (): string => process.env.E2E_TOPIC_PREFIX as string;
export const databaseUrl = (service: string): string => withDatabase(process.env.TEST_DATABASE_URL as string, `${process.env.E2E_DATABASE_PREFIX}_${service}`);

export async function callAs(actor: Actor): Promise<GraphQLCall> {
  return gatewayClient(gatewayUrl(), await mintUserToken(actor));
}

export const broker = (): Promise<KafkaBroker> => ensureKafkaBroker(FAULTS_BROKER);

// A handle on one of the stack's processes (the one global setup started) or a new one with extra environment.
export function serviceProcess(name: string, extraEnv: NodeJS.ProcessEnv = {}, port?: number): ServiceProcess {
  const spec = [...SUBGRAPHS, GATEWAY].find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  const ports: Record<string, number> = JSON.parse(process.env.E2E_SERVICE_PORTS as string);
  const env = { ...JSON.parse(process.env.E2E_STACK_ENV as string), ...extraEnv };
  return createServiceProcess(spec, port ?? ports[name], env, { logDir: path.join(workspaceRoot(), '.local', 'logs', `${process.env.E2E_DATABASE_PREFIX}`) });
}

// Finds the process listening on a service's port (started by global setup, in another process) and signals it.
export async function killByPort(name: string, signal: NodeJS.Signals): Promise<void> {
  await exitOf(await signalByPort(name, signal), name);
}

// Signals the process without waiting for it to exit (a SIGTERM whose drain the test watches).
export async function signalByPort(name: string, signal: NodeJS.Signals): Promise<string[]> {
  const ports: Record<string, number> = JSON.parse(process.env.E2E_SERVICE_PORTS as string);
  const { execSync } = await import('node:child_process');
  const pids = execSync(`ss -Htlnp 'sport = :${ports[name]}' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u`).toString().trim().split('\n').filter(Boolean);
  for (const pid of pids) process.kill(Number(pid), signal);
  return pids;
}

export async function exitOf(pids: string[], name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (pids.some((pid) => isAlive(Number(pid)))) {
    if (Date.now() > deadline) throw new Error(`${name} did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function sql<T = any>(service: string, query: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl(service) });
  await client.connect();
  try {
    return (await client.query(query, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

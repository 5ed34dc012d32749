import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Kafka, logLevel } from 'kafkajs';

import { checkBrokerPrerequisites, SetupError } from './first-run';
import { isPortOpen } from './ports';
import { isProcessAlive, localStateDir, waitUntil, withFileLock, workspaceRoot } from './workspace';

export interface KafkaBrokerOptions {
  // Separate folders and ports give separate brokers (the fault tests stop their own).
  name?: string;
  port?: number;
  controllerPort?: number;
  heap?: string;
  log?: (message: string) => void;
}

export interface KafkaBroker {
  brokers: string;
  startedHere: boolean;
  stop(): Promise<void>;
  // Starts the same broker again on the same data (after stop), for outage tests.
  restart(): Promise<void>;
}

interface BrokerState {
  pid: number;
  port: number;
}

const POM = () => path.join(workspaceRoot(), 'tools', 'kafka', 'pom.xml');

// Apache Kafka's own jars from Maven Central, cached per pom content so a version bump refetches.
export function fetchKafkaJars(log: (message: string) => void = () => undefined): string {
  const pomText = fs.readFileSync(POM(), 'utf8');
  const digest = createHash('sha256').update(pomText).digest('hex').slice(0, 12);
  const libs = localStateDir('kafka-libs', digest);
  if (fs.existsSync(path.join(libs, '.complete'))) return libs;
  log(`fetching Apache Kafka jars with Maven into ${libs}`);
  fs.mkdirSync(libs, { recursive: true });
  execFileSync('mvn', ['-q', '-B', '-f', POM(), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  fs.writeFileSync(path.join(libs, '.complete'), new Date().toISOString());
  return libs;
}

function serverProperties(dataDir: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'auto.create.topics.enable=false',
    // One node: internal topics cannot have the default replication factor of 3.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

async function brokerAnswers(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'readiness-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const DEFAULT_BROKER_PORT = 29092;

const defaultBrokerPort = (env: NodeJS.ProcessEnv = process.env): number => {
  const port = Number(env.LOCAL_KAFKA_PORT ?? DEFAULT_BROKER_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_534) throw new SetupError(`LOCAL_KAFKA_PORT must be a port number, not "${env.LOCAL_KAFKA_PORT}"`);
  return port;
};

// Starts (or reuses) a single-node KRaft broker from Maven-fetched jars; no Docker needed.
export async function ensureKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const { name = 'default', port = defaultBrokerPort(), controllerPort = port + 1, heap = '512m', log = () => undefined } = options;
  const home = localStateDir('kafka', name);
  const stateFile = path.join(home, 'state.json');
  const brokers = `127.0.0.1:${port}`;

  const launch = async (): Promise<number> => {
    checkBrokerPrerequisites();
    const libs = fetchKafkaJars(log);
    const dataDir = path.join(home, 'data');
    const propertiesFile = path.join(home, 'server.properties');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(propertiesFile, serverProperties(dataDir, port, controllerPort));
    const classpath = `${libs}/*`;
    if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
      execFileSync('java', ['-cp', classpath, 'kafka.tools.StorageTool', ...storageFormatArguments(newClusterId(), propertiesFile)], { stdio: 'ignore' });
    }
    const logFile = fs.openSync(path.join(home, 'broker.log'), 'a');
    const child = spawn(
      'java',
      [`-Xms256m`, `-Xmx${heap}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', '-cp', classpath, 'kafka.Kafka', propertiesFile],
      { detached: true, stdio: ['ignore', logFile, logFile] },
    );
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not start java for the Kafka broker');
    fs.writeFileSync(stateFile, JSON.stringify({ pid, port } satisfies BrokerState));
    log(`starting Kafka broker at ${brokers} (pid ${pid}, log ${path.join(home, 'broker.log')})`);
    await waitUntil(
      async () => {
        if (!isProcessAlive(pid)) throw new Error(`broker exited; see ${path.join(home, 'broker.log')}`);
        return brokerAnswers(brokers);
      },
      90_000,
      `Kafka at ${brokers}`,
      250,
    );
    return pid;
  };

  const stop = async () => {
    const state = readState(stateFile);
    if (!state || !isProcessAlive(state.pid)) return;
    process.kill(state.pid, 'SIGTERM');
    await waitUntil(async () => !isProcessAlive(state.pid), 30_000, 'Kafka broker to stop').catch(() => process.kill(state.pid, 'SIGKILL'));
    await waitUntil(async () => !(await isPortOpen(port)), 10_000, 'Kafka port to close');
  };

  return withFileLock(path.join(home, '.lock'), async () => {
    const state = readState(stateFile);
    if (state && isProcessAlive(state.pid) && (await brokerAnswers(brokers))) {
      return { brokers, startedHere: false, stop, restart: async () => void (await launch()) };
    }
    // Another checkout's broker on the usual port serves just as well (topic prefixes keep test runs apart).
    if (await brokerAnswers(brokers)) return { brokers, startedHere: false, stop, restart: async () => void (await launch()) };
    if (await isPortOpen(port)) {
      throw new SetupError(
        `Port ${port} is taken by something that is not a Kafka broker: stop it, choose another port for the local broker with LOCAL_KAFKA_PORT=<port>, or use a broker you run with KAFKA_BROKERS=host:port`,
      );
    }
    await launch();
    return { brokers, startedHere: true, stop, restart: async () => void (await launch()) };
  });
}

function readState(file: string): BrokerState | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BrokerState;
  } catch {
    return null;
  }
}

// Like Kafka's own Uuid.randomUuid: an id starting with "-" reads as an option on the command line (1 in 64 did).
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

// The id goes in the `--cluster-id=` form, so even an id that looks like an option is taken as the value.
export const storageFormatArguments = (clusterId: string, propertiesFile: string): string[] => [
  'format',
  '-g',
  `--cluster-id=${clusterId}`,
  '-c',
  propertiesFile,
];

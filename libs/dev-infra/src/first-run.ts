import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { canListen } from './ports';
import { isProcessAlive } from './workspace';

// A problem a new user can fix, with what to do; the launchers print its message alone, without a stack trace.
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

const MIN_JAVA = 17;

// The Kafka broker runs from Apache Kafka's jars, which need a JDK/JRE 17+ and Maven to fetch them.
export function checkBrokerPrerequisites(env: NodeJS.ProcessEnv = process.env): void {
  const advice =
    'Install them (Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven; macOS: brew install openjdk@17 maven), ' +
    'or use a Kafka broker you already run: KAFKA_BROKERS=host:9092 npm start';
  const java = spawnSync('java', ['-version'], { env, encoding: 'utf8' });
  if (java.error || java.status !== 0)
    throw new SetupError(`No Kafka broker is configured and Java is not installed (needed to run Apache Kafka's broker, Java ${MIN_JAVA} or newer). ${advice}`);
  const major = javaMajorVersion(`${java.stderr}${java.stdout}`);
  if (major !== null && major < MIN_JAVA) throw new SetupError(`Java ${major} is installed; Apache Kafka's broker needs Java ${MIN_JAVA} or newer. ${advice}`);
  const maven = spawnSync('mvn', ['-v'], { env, encoding: 'utf8' });
  if (maven.error || maven.status !== 0)
    throw new SetupError(`No Kafka broker is configured and Maven is not installed (it fetches Apache Kafka's jars from Maven Central once). ${advice}`);
}

// `java -version` prints `openjdk version "17.0.15"` or, before Java 9, `java version "1.8.0_392"`.
export function javaMajorVersion(output: string): number | null {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return null;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export interface NamedPort {
  name: string;
  port: number;
}

// Names every port of the stack that something else already listens on, and how to move the stack.
export async function assertPortsFree(ports: NamedPort[], howToMove: string): Promise<void> {
  const taken: NamedPort[] = [];
  for (const entry of ports) if (!(await canListen(entry.port))) taken.push(entry);
  if (taken.length === 0) return;
  const list = taken.map(({ name, port }) => `${port} (${name})`).join(', ');
  throw new SetupError(
    `Port${taken.length > 1 ? 's' : ''} ${list} ${taken.length > 1 ? 'are' : 'is'} already in use by another program. Stop it, or ${howToMove}`,
  );
}

export interface StackMarker {
  pid: number;
  gatewayUrl: string;
}

// One `npm start` per checkout and port range: a second one would fight the first over ports, databases and groups.
export function claimStackMarker(file: string, marker: StackMarker): () => void {
  const current = readMarker(file);
  if (current && current.pid !== marker.pid && isProcessAlive(current.pid)) {
    throw new SetupError(
      `npm start is already running for this checkout (pid ${current.pid}), serving ${current.gatewayUrl}. Use that one, or stop it first (Ctrl-C in its terminal, or kill ${current.pid}).`,
    );
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(marker));
  return () => {
    if (readMarker(file)?.pid === marker.pid) fs.rmSync(file, { force: true });
  };
}

function readMarker(file: string): StackMarker | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StackMarker;
  } catch {
    return null;
  }
}

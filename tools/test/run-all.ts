import { spawn, spawnSync } from 'node:child_process';

import { ensureKafkaBroker, ensurePostgres, GATEWAY, SetupError, SUBGRAPHS, workspaceRoot } from '@pipeline/dev-infra';

// `npm test`: every check a change must pass, in the order that fails fastest, with the infrastructure the
// integration and end-to-end tests need (real PostgreSQL, a real Kafka broker) started once and shared.
const root = workspaceRoot();
const timings: Array<[string, number]> = [];

// Thrown instead of exiting, so the broker and PostgreSQL this run started are stopped on the way out of a failure too.
class StepFailed extends Error {
  constructor(
    name: string,
    readonly exitCode: number,
  ) {
    super(`${name} failed`);
  }
}

function step(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  timings.push([name, Date.now() - started]);
  if (result.status !== 0) throw new StepFailed(name, result.status ?? 1);
}

// Independent checks side by side (one core each), failing after all have reported so every error is shown at once.
async function together(name: string, commands: Array<[command: string, args: string[]]>): Promise<void> {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${commands.map(([command, args]) => `${command} ${args.join(' ')}`).join('  &  ')}`);
  const codes = await Promise.all(
    commands.map(
      ([command, args]) =>
        new Promise<number>((resolve) =>
          spawn(command, args, { cwd: root, stdio: 'inherit' })
            .once('error', () => resolve(1))
            .once('exit', (code) => resolve(code ?? 1)),
        ),
    ),
  );
  timings.push([name, Date.now() - started]);
  if (codes.some((code) => code !== 0)) throw new StepFailed(name, 1);
}

async function main(): Promise<void> {
  const started = Date.now();
  const nx = ['nx'];
  step('generated code is current', 'npx', ['tsx', 'tools/generate/check-generated.ts']);
  step('formatting (prettier)', 'npx', ['prettier', '--check', '--log-level=warn', '**/*.{ts,tsx,js,mjs}']);
  // One ESLint and one tsc program over every Node project (they share compiler options: tsconfig.typecheck.json) cost
  // a fifth of the CPU of nineteen per-project runs; the web app and its browser tests keep their own DOM settings.
  // Plain ESLint reads Nx's cached project graph for @nx/enforce-module-boundaries and silently skips the rule without it.
  step('project graph (for the module-boundary lint rule)', 'npx', [...nx, 'show', 'projects']);
  await together('lint and type checks', [
    ['npx', ['eslint', 'apps', 'libs', 'tools', '--max-warnings', '0']],
    ['npx', ['tsc', '-p', 'tsconfig.typecheck.json']],
    ['npx', [...nx, 'run-many', '-t', 'typecheck', '--projects=web,web-e2e', '--outputStyle=stream']],
  ]);
  // Pure rules first: they need no PostgreSQL or Kafka and fail in seconds.
  step('unit tests', 'npx', [...nx, 'run-many', '-t', 'test', '--parallel=2', '--outputStyle=stream', '--exclude=e2e,faults,web-e2e']);

  // The suites that run the services as processes run the production bundles, as the images do.
  step('production bundles of the services', 'npx', [
    ...nx,
    'run-many',
    '-t',
    'build',
    `--projects=${[...SUBGRAPHS, GATEWAY].map((spec) => spec.app).join(',')}`,
  ]);

  const postgres = await ensurePostgres({ log: console.log });
  const broker = process.env.KAFKA_BROKERS ? null : await ensureKafkaBroker({ log: console.log });
  const env = {
    ...process.env,
    TEST_DATABASE_URL: postgres.url,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? broker?.brokers,
    PIPELINE_SERVICES_FROM: 'bundles',
  };
  // Interrupted (Ctrl-C, a CI timeout): the child steps get the signal too; what this run started is stopped as well.
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n✖ interrupted (${signal}): stopping what this run started`);
    void Promise.allSettled([broker?.startedHere ? broker.stop() : undefined, postgres.stop()]).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    step('integration tests (real PostgreSQL and Kafka)', 'npx', [...nx, 'run-many', '-t', 'integration', '--parallel=2', '--outputStyle=stream'], env);
    step('end-to-end tests through the gateway', 'npx', [...nx, 'run', 'e2e:test', '--outputStyle=stream'], env);
    // Builds the web app, installs Debian's Chromium when it is missing (apt-get, as root in CI), drives it against the stack.
    step('browser tests of the web app (Chromium)', 'npx', [...nx, 'run', 'web-e2e:test', '--outputStyle=stream'], env);
    // The fault suite brings its own broker (it stops and restarts it), so it does not get KAFKA_BROKERS.
    const { KAFKA_BROKERS: _shared, ...faultsEnv } = env;
    step(
      'fault tests (Kafka outage, kills, dropped connections, poison, concurrency)',
      'npx',
      [...nx, 'run', 'faults:test', '--outputStyle=stream'],
      faultsEnv,
    );
  } finally {
    if (broker?.startedHere) await broker.stop();
    await postgres.stop();
  }
  console.log('\nAll checks passed.');
  for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${name}`);
  console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s  total`);
}

main().catch((error) => {
  if (error instanceof StepFailed) console.error(`\n✖ ${error.message}`);
  else console.error(error instanceof SetupError ? `\n${error.message}\n` : error);
  process.exit(error instanceof StepFailed ? error.exitCode : 1);
});

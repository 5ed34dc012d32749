import type { AppFacts } from './deploy-facts';

// A Dockerfile as stages of instructions: comments dropped, continuation lines (trailing backslash) joined.
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped, also in the middle of a continued instruction (as BuildKit does).
    if (trimmed.startsWith('#')) return;
    if (trimmed === '' && !pending) return;
    const continues = trimmed.endsWith('\\');
    const content = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending ? { text: `${pending.text} ${content}`.trim(), line: pending.line } : { text: content, line: index + 1 };
    if (continues) return;
    const [keyword, ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error(`line ${pending.line}: the last instruction ends with a line continuation`);

  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ image: match[1], name: match[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

const find = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((instruction) => instruction.keyword === keyword);

// Variables an ENV instruction sets, in both `ENV A=1 B=2` and the legacy `ENV A 1` form.
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of find(stage, 'ENV')) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      const [name, ...value] = args.split(/\s+/);
      env[name] = value.join(' ');
      continue;
    }
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) env[match[1]] = match[2].replace(/^"(.*)"$/, '$1');
  }
  return env;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// What the deployment expects of apps/<app>/Dockerfile; an empty list means it conforms.
export function dockerfileProblems(text: string, facts: AppFacts): string[] {
  const problems: string[] = [];
  let stages: Stage[];
  try {
    stages = parseDockerfile(text);
  } catch (error) {
    return [`unreadable: ${(error as Error).message}`];
  }
  if (stages.length < 2) return [`expected a multi-stage build, found ${stages.length} stage(s)`];
  for (const stage of stages)
    if (stage.image !== 'node:20-bookworm-slim') problems.push(`stage ${stage.name ?? stage.image} is FROM ${stage.image}, expected node:20-bookworm-slim`);

  const build = stages.find((stage) => find(stage, 'RUN').some(({ args }) => new RegExp(`\\bnx build ${escapeRegExp(facts.app)}(?![\\w-])`).test(args)));
  if (!build) problems.push(`no stage runs \`nx build ${facts.app}\``);
  else {
    const runs = find(build, 'RUN');
    const installIndex = runs.findIndex(({ args }) => /\bnpm ci\b/.test(args) && !/--omit[= ]dev/.test(args));
    const buildIndex = runs.findIndex(({ args }) => new RegExp(`\\bnx build ${escapeRegExp(facts.app)}(?![\\w-])`).test(args));
    if (installIndex === -1 || installIndex > buildIndex) problems.push('the build stage does not run `npm ci` before the Nx build');
    if (!find(build, 'COPY').some(({ args }) => /^(?:--\S+\s+)*\.\s+\.\/?$/.test(args)))
      problems.push('the build stage does not copy the repository (COPY . .)');
  }

  const runtime = stages[stages.length - 1];
  if (runtime === build) {
    problems.push('the final stage is the build stage');
    return problems;
  }
  const buildRef = build ? (build.name ?? String(stages.indexOf(build))) : undefined;
  const copiesBundle = find(runtime, 'COPY').some(
    ({ args }) => buildRef !== undefined && args.includes(`--from=${buildRef}`) && new RegExp(`dist/apps/${escapeRegExp(facts.app)}/?(\\s|$)`).test(args),
  );
  if (!copiesBundle) problems.push(`the runtime stage does not copy dist/apps/${facts.app} from the build stage`);
  if (!find(runtime, 'RUN').some(({ args }) => /\bnpm ci\b/.test(args) && /--omit[= ]dev\b/.test(args)))
    problems.push('the runtime stage does not run `npm ci --omit=dev`');
  if (envOf(runtime).NODE_ENV !== 'production') problems.push('the runtime stage does not set NODE_ENV=production');

  const users = find(runtime, 'USER');
  const finalUser = users.length > 0 ? users[users.length - 1].args.split(':')[0] : 'root';
  if (finalUser !== 'node') problems.push(`the runtime stage runs as ${finalUser}, expected the node user`);

  const exposed = find(runtime, 'EXPOSE').flatMap(({ args }) => args.split(/\s+/).map((port) => port.split('/')[0]));
  if (!exposed.includes(String(facts.port))) problems.push(`the runtime stage does not EXPOSE ${facts.port}`);

  const healthchecks = find(runtime, 'HEALTHCHECK');
  if (healthchecks.length !== 1) problems.push('the runtime stage needs exactly one HEALTHCHECK');
  else {
    const check = healthchecks[0].args;
    if (!/\bCMD\b/.test(check)) problems.push('HEALTHCHECK has no CMD');
    if (!check.includes('/health/live')) problems.push('HEALTHCHECK does not probe /health/live');
    if (!/\bfetch\(/.test(check) || !/["\s]node["\s]/.test(check)) problems.push("HEALTHCHECK does not use node's built-in fetch");
    if (/\b(curl|wget)\b/.test(check)) problems.push('HEALTHCHECK uses curl/wget, which slim images lack');
    if (!check.includes(String(facts.port))) problems.push(`HEALTHCHECK does not default to port ${facts.port}`);
  }

  const commands = find(runtime, 'CMD');
  const command = commands[commands.length - 1]?.args;
  let parsed: unknown;
  try {
    parsed = command === undefined ? undefined : JSON.parse(command);
  } catch {
    parsed = undefined;
  }
  if (JSON.stringify(parsed) !== JSON.stringify(['node', 'main.js'])) problems.push(`CMD is ${command ?? 'missing'}, expected ["node", "main.js"] (exec form)`);
  if (find(runtime, 'ENTRYPOINT').length > 0) problems.push('the runtime stage sets an ENTRYPOINT; CMD alone is expected');

  for (const stage of stages) {
    for (const [name, value] of Object.entries(envOf(stage))) {
      if (/SECRET|PASSWORD|TOKEN|PRIVATE_KEY/i.test(name) && value !== '') problems.push(`stage ${stage.name ?? stage.image} bakes ${name} into the image`);
    }
  }
  return problems;
}

// Patterns a .dockerignore must hold so that local installs, build output and local state stay out of the context.
export const REQUIRED_DOCKERIGNORE_ENTRIES = ['node_modules', 'dist', '.local', '.nx', '.git', 'coverage', 'tmp'];

export function dockerignoreProblems(text: string): string[] {
  const patterns = new Set(
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
      .map((line) =>
        line
          .replace(/^\*\*\//, '')
          .replace(/^\//, '')
          .replace(/\/$/, ''),
      ),
  );
  return REQUIRED_DOCKERIGNORE_ENTRIES.filter((entry) => !patterns.has(entry)).map((entry) => `.dockerignore does not exclude ${entry}`);
}

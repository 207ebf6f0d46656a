/*
 * Reads a Dockerfile and replays what it does to the application, without a container engine:
 * each stage is a folder standing for its WORKDIR, COPY copies files (the build context filtered
 * by .dockerignore, or another stage's folder), RUN runs the npm steps there, ENV is kept for the
 * commands that follow. System steps (apt-get, chown) are left to the image and reported.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, with line continuations joined. */
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  stages: Stage[];
}

/** Splits the file into instructions (comments dropped, `\` continuations joined) and stages. */
export function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && /^\s*(#.*)?$/.test(line)) continue;
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/s.exec(line);
    if (!m) throw new Error(`cannot read Dockerfile line: ${line}`);
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, value] = rest.split('=');
      args[name!] = value ?? '';
      continue;
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`cannot read FROM ${rest}`);
      const image = from[1]!.replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_m, a: string, b: string) => args[a ?? b] ?? '',
      );
      stages.push({ name: from[2] ?? String(stages.length), from: image, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before FROM`);
    stage.instructions.push({ keyword, args: rest });
  }
  return { stages };
}

/** `a=b c="d e"` into pairs. */
export function parseEnv(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = m[2]!;
    out[m[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return out;
}

/** The words of a COPY: its `--flag=value` options, its sources and its destination. */
export function parseCopy(args: string): {
  flags: Record<string, string>;
  sources: string[];
  dest: string;
} {
  const words = args.split(' ');
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [k, v] = words.shift()!.slice(2).split('=');
    flags[k!] = v ?? '';
  }
  const paths = words[0]?.startsWith('[') ? (JSON.parse(words.join(' ')) as string[]) : words;
  return { flags, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

/** The exec form `["a", "b"]` of CMD or HEALTHCHECK CMD. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
    throw new Error(`not the exec form: ${args}`);
  }
  return parsed;
}

/** A .dockerignore as a predicate on context-relative paths (`*`, `**`, `?`, plain names). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const source = pattern
        .split('')
        .map((c, i, all) =>
          c === '*'
            ? all[i + 1] === '*'
              ? '.*'
              : all[i - 1] === '*'
                ? ''
                : '[^/]*'
            : c === '?'
              ? '[^/]'
              : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return { negate, re: new RegExp(`^${source}(/.*)?$`) };
    });
  return (path: string) => {
    let ignored = false;
    for (const rule of rules) if (rule.re.test(path)) ignored = !rule.negate;
    return ignored;
  };
}

export interface ReplayedStage {
  name: string;
  /** The folder that stands for the stage's WORKDIR. */
  root: string;
  env: Record<string, string>;
  workdir: string;
  user?: string;
  exposed: string[];
  volumes: string[];
  healthcheck?: string[];
  cmd?: string[];
}

export interface ReplayResult {
  stages: ReplayedStage[];
  /** The RUN steps left to the image (system packages, ownership). */
  skipped: string[];
  /** The npm commands run, as run. */
  ran: string[];
}

/** Steps that are about the image's system, not the application. */
const SYSTEM_STEP = /^(apt-get |rm -rf \/var\/lib\/apt\/lists|chown )/;

export interface ReplayOptions {
  context: string;
  into: string;
  /** Per npm command, as in the Dockerfile: what to run instead (e.g. with --prefer-offline). */
  adaptNpm?: (command: string) => string;
  /** The environment of the commands, on top of the stage's ENV. */
  baseEnv: NodeJS.ProcessEnv;
  /** Stage ENV entries that name places inside the image and do not hold here. */
  dropEnv?: (name: string, value: string) => boolean;
  timeoutMs?: number;
}

/** Replays every stage of the Dockerfile; the last one is what the image runs. */
export function replayDockerfile(file: Dockerfile, options: ReplayOptions): ReplayResult {
  const ignored = dockerignore(
    existsSync(join(options.context, '.dockerignore'))
      ? readFileSync(join(options.context, '.dockerignore'), 'utf8')
      : '',
  );
  const done: ReplayedStage[] = [];
  const skipped: string[] = [];
  const ran: string[] = [];
  for (const stage of file.stages) {
    const root = join(options.into, stage.name);
    mkdirSync(root, { recursive: true });
    const state: ReplayedStage = {
      name: stage.name,
      root,
      env: {},
      workdir: '/',
      exposed: [],
      volumes: [],
    };
    /** An image path as a path in the stage's folder (the WORKDIR is the folder). */
    const local = (imagePath: string, base: ReplayedStage = state): string => {
      const abs = posix.resolve(base.workdir, imagePath);
      const rel = posix.relative(base.workdir, abs);
      if (rel.startsWith('..'))
        throw new Error(`${imagePath} is outside the WORKDIR ${base.workdir}`);
      return join(base.root, rel);
    };
    for (const { keyword, args } of stage.instructions) {
      switch (keyword) {
        case 'WORKDIR':
          state.workdir = posix.resolve(state.workdir, args);
          break;
        case 'ENV':
          Object.assign(state.env, parseEnv(args));
          break;
        case 'COPY': {
          const { flags, sources, dest } = parseCopy(args);
          const target = local(dest);
          for (const source of sources) {
            if (flags.from !== undefined) {
              const from = done.find((s) => s.name === flags.from);
              if (!from) throw new Error(`COPY --from=${flags.from}: no such stage`);
              const src = local(source, from);
              cpSync(src, dest.endsWith('/') ? join(target, posix.basename(source)) : target, {
                recursive: true,
              });
            } else {
              const src = join(options.context, source);
              if (!existsSync(src) || ignored(posix.normalize(source))) {
                throw new Error(
                  `COPY ${source}: not in the build context (or ignored by .dockerignore)`,
                );
              }
              const to =
                dest.endsWith('/') || sources.length > 1
                  ? join(target, posix.basename(source))
                  : target;
              if (statSync(src).isDirectory()) {
                cpSync(src, to, {
                  recursive: true,
                  filter: (p) => !ignored(relative(options.context, p).split('\\').join('/')),
                });
              } else {
                mkdirSync(dirname(to), { recursive: true });
                cpSync(src, to);
              }
            }
          }
          break;
        }
        case 'RUN':
          for (const step of args.split('&&').map((s) => s.trim())) {
            const mkdir = /^mkdir -p (\S+)$/.exec(step);
            if (mkdir) {
              mkdirSync(local(mkdir[1]!), { recursive: true });
            } else if (step.startsWith('npm ')) {
              const command = options.adaptNpm ? options.adaptNpm(step) : step;
              const env: NodeJS.ProcessEnv = { ...options.baseEnv };
              for (const [k, v] of Object.entries(state.env)) {
                if (!options.dropEnv?.(k, v)) env[k] = v;
              }
              ran.push(command);
              execFileSync('bash', ['-c', command], {
                cwd: root,
                env,
                stdio: ['ignore', 'pipe', 'pipe'],
                timeout: options.timeoutMs ?? 600000,
                maxBuffer: 64 * 1024 * 1024,
              });
            } else if (SYSTEM_STEP.test(step)) {
              skipped.push(step);
            } else {
              throw new Error(`RUN step the replay does not know: ${step}`);
            }
          }
          break;
        case 'USER':
          state.user = args;
          break;
        case 'EXPOSE':
          state.exposed.push(...args.split(' '));
          break;
        case 'VOLUME':
          state.volumes.push(
            ...(args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(' ')),
          );
          break;
        case 'HEALTHCHECK': {
          const m = /CMD (\[.*\])$/.exec(args);
          if (!m) throw new Error(`HEALTHCHECK without an exec-form CMD: ${args}`);
          state.healthcheck = execForm(m[1]!);
          break;
        }
        case 'CMD':
          state.cmd = execForm(args);
          break;
        case 'STOPSIGNAL':
        case 'LABEL':
          break;
        default:
          throw new Error(`instruction the replay does not know: ${keyword}`);
      }
    }
    done.push(state);
  }
  return { stages: done, skipped, ran };
}

/** Names of the packages installed at the top of a node_modules folder. */
export function installedPackages(nodeModules: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(join(nodeModules, entry))) names.add(`${entry}/${sub}`);
    } else {
      names.add(entry);
    }
  }
  return names;
}

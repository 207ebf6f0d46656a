import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface GatewayProcess extends NodeProcess {
  baseUrl: string;
}

/** A Node.js process of its own, its stdout and stderr gathered as they come. */
export interface NodeProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Runs `file` with Node.js in `cwd`, with `PATH` and `env` as its whole environment. */
export function spawnNode(file: string, env: Record<string, string>, cwd?: string): NodeProcess {
  const child = spawn(process.execPath, [file], {
    ...(cwd ? { cwd } : {}),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => out, exited };
}

/** Starts the built gateway (`node dist/main.js`) as its own process and waits until it listens. */
export async function startGateway(env: Record<string, string>, timeoutMs = 20000): Promise<GatewayProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  const { child, output, exited } = spawnNode(MAIN, { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output()}`)), timeoutMs);
    const look = (): void => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(output());
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before listening:\n${output()}`));
    });
  });
  return { child, baseUrl, output, exited };
}

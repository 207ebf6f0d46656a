/*
 * The Dockerfile, without a container engine: its build and run steps replayed in a clean
 * folder (see dockerfile-replay.ts), then the result started the way CMD says and checked with
 * its own HEALTHCHECK. Slow (a clean `npm ci`, the native SQLite driver compiled), so it runs
 * once, in the SQLite pass of the suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  installedPackages,
  parseDockerfile,
  replayDockerfile,
  type ReplayResult,
} from './dockerfile-replay';
import { freePort } from './utils/free-port';
import { testEngine } from './utils/test-database';

const ROOT = join(__dirname, '..');
const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('Dockerfile as written', () => {
  const [build, run] = [dockerfile.stages[0]!, dockerfile.stages.at(-1)!];
  const keywords = (stage: typeof run) => stage.instructions.map((i) => i.keyword);

  it('builds in one stage and runs from another, on a slim image of an LTS Node.js', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of [build, run]) {
      const m = /^node:(\d+)-[a-z]+-slim$/.exec(stage.from);
      expect(m).not.toBeNull();
      // Even majors up to 26 are the LTS lines; from 27 on every major is.
      const major = Number(m![1]);
      expect(major >= 27 || major % 2 === 0).toBe(true);
      expect(major).toBeGreaterThanOrEqual(24);
    }
  });

  it('runs as a user that is not root, with a data volume, a port, a health check and a command', () => {
    const user = run.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(keywords(run)).toEqual(
      expect.arrayContaining(['VOLUME', 'EXPOSE', 'HEALTHCHECK', 'CMD']),
    );
    expect(run.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toBe('3000');
    // No compiler and no npm install in the image that runs.
    expect(
      run.instructions
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join(' '),
    ).not.toMatch(/apt-get|npm (ci|install)/);
  });
});

const replayed = testEngine() === 'sqlite' ? describe : describe.skip;

replayed(
  'Dockerfile replayed (runs in the SQLite pass only: the image does not depend on the database under test)',
  () => {
    let dir: string;
    let result: ReplayResult;

    beforeAll(
      () => {
        dir = mkdtempSync(join(tmpdir(), 'gw-docker-'));
        result = replayDockerfile(dockerfile, {
          context: ROOT,
          into: dir,
          // The npm cache of this machine stands for the registry the image build would reach.
          adaptNpm: (command) => command.replace(/^npm ci\b/, 'npm ci --prefer-offline'),
          baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME },
          // The image's Node.js headers are under /usr/local; here npm's own configuration says where.
          dropEnv: (name, value) =>
            name === 'npm_config_nodedir' && !existsSync(join(value, 'include', 'node', 'node.h')),
          timeoutMs: 15 * 60 * 1000,
        });
      },
      20 * 60 * 1000,
    );

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('ran the npm steps and left only system steps to the image', () => {
      expect(result.ran).toEqual([
        'npm ci --prefer-offline --no-audit --no-fund',
        'npm run build',
        'npm prune --omit=dev',
      ]);
      for (const step of result.skipped)
        expect(step).toMatch(/^(apt-get|rm -rf \/var\/lib\/apt\/lists|chown)/);
    });

    it('ships the built server and the production dependencies only', () => {
      const root = result.stages.at(-1)!.root;
      expect(existsSync(join(root, 'dist', 'main.js'))).toBe(true);
      expect(existsSync(join(root, 'src'))).toBe(false);
      const installed = installedPackages(join(root, 'node_modules'));
      for (const name of Object.keys(packageJson.dependencies)) expect(installed).toContain(name);
      for (const name of Object.keys(packageJson.devDependencies))
        expect(installed).not.toContain(name);
      expect(
        existsSync(
          join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
        ),
      ).toBe(true);
    });

    it('starts as CMD says, on the SQLite file in its volume, and passes its HEALTHCHECK', async () => {
      const stage = result.stages.at(-1)!;
      const port = await freePort();
      const dataDir = join(stage.root, 'data');
      expect(stage.volumes).toEqual(['/app/data']);
      expect(existsSync(dataDir)).toBe(true);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        ...stage.env,
        // The image's /app is the stage's folder here.
        DATABASE_URL: stage.env.DATABASE_URL!.replace('/app/', `${stage.root}/`),
        PORT: String(port),
        HOST: '127.0.0.1',
      };
      expect(env.DATABASE_URL).toBe(`sqlite:${dataDir}/messaging.sqlite`);
      const [command, ...args] = stage.cmd!;
      const child = spawn(command!, args, {
        cwd: stage.root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      try {
        const health = () => {
          const [hc, ...hcArgs] = stage.healthcheck!;
          return spawnSync(hc!, hcArgs, { cwd: stage.root, env, timeout: 10000 }).status;
        };
        const deadline = Date.now() + 30000;
        while (!/listening on/.test(output)) {
          if (child.exitCode !== null || Date.now() > deadline)
            throw new Error(`the server did not start:\n${output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(health()).toBe(0);
        expect(existsSync(join(dataDir, 'messaging.sqlite'))).toBe(true);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        // The same check fails once nothing answers.
        expect(health()).not.toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }, 60000);
  },
);

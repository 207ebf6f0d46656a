'use strict';
// Starting, talking to and stopping the processes of a run: stubs are forked with an IPC channel
// (they report their port and answer `stats`), the gateway is spawned from dist/main.js.
const { fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** A forked stub, listening on 127.0.0.1, with `ask(type, extra)` answered over IPC. */
async function startStub(file, env = {}) {
  const child = fork(path.join(__dirname, '..', file), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map();
  child.on('message', (msg) => {
    const resolve = waiting.get(msg.id);
    if (resolve) {
      waiting.delete(msg.id);
      resolve(msg);
    }
  });
  const port = await new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg.type === 'listening') {
        child.off('message', onMessage);
        resolve(msg.port);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before listening`)));
  });
  return {
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    ask(type, extra = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.send({ type, id, ...extra });
      });
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child, signal = 'SIGTERM', graceMs = 10000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The built gateway in production mode with its default log level; its output goes to `logFile`
 * (a file, as a service manager would keep it), and it is ready once /health answers 200.
 */
async function startGateway({
  distDir,
  databaseUrl,
  adminKey,
  messaging,
  logFile,
  cpuProfDir,
  nodeArgs = [],
  extraEnv = {},
}) {
  const main = path.join(distDir, 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const out = fs.openSync(logFile, 'a');
  const args = [
    ...nodeArgs,
    ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
    main,
  ];
  const env = {
    PATH: process.env.PATH || '',
    // A build kept outside the project still finds the project's packages.
    NODE_PATH: path.join(ROOT, 'node_modules'),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: adminKey,
    JAMBONES_MESSAGING: JSON.stringify(messaging),
    ...extraEnv,
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the gateway exited (${child.exitCode}) at start-up; see ${logFile}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child, 'SIGKILL');
      throw new Error(`the gateway did not answer /health in 30 s; see ${logFile}`);
    }
    await sleep(100);
  }
  return { child, pid: child.pid, url, stop: () => stopChild(child, 'SIGTERM', 30000) };
}

/** VmRSS and VmHWM (peak) of a process, in bytes, from /proc; undefined where there is no /proc. */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used, in milliseconds, from /proc/<pid>/stat; what a
 * request costs the gateway, whatever else the machine is running at the same time.
 */
function cpuMsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
// USER_HZ; 100 on every Linux architecture Node runs on.
const CLOCK_TICKS = 100;

/** Samples a process' RSS every `everyMs`, keeping the highest seen (VmHWM is the kernel's view). */
function rssSampler(pid, everyMs = 250) {
  let max = 0;
  const sample = () => {
    const m = memoryOf(pid);
    if (m && m.rss > max) max = m.rss;
    return m;
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    now: () => sample(),
    maxRss: () => max,
    stop: () => clearInterval(timer),
  };
}

module.exports = {
  ROOT,
  startStub,
  startGateway,
  stopChild,
  memoryOf,
  cpuMsOf,
  rssSampler,
  sleep,
};

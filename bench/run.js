'use strict';
// Load benchmark of the gateway beside a bare node:http server. See docs/benchmarks.md.
//   npm run bench                  full run (10 s per run, batches of 100,000), writes results
//   npm run bench -- --smoke       a few seconds, tiny batches, writes nothing: what CI runs
// Options: --duration <s> --connections 10,50 --batch <n> --no-batches --engines sqlite,postgres
//          --routes inbound,outbound --warmup <s> --drain-timeout <s> --profile --no-docs --keep-logs --out-dir <dir>
//          --dist <dir> (the build to run; default dist/) --node-options='<flags for the gateway>'
//          --label '<what this run measures>' --env KEY=VALUE (more of the gateway's environment; repeatable)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { parseArgs } = require('node:util');
const { ROOT, startStub, startGateway, memoryOf, rssSampler, sleep } = require('./lib/processes');
const { acquirePostgres, createDatabase } = require('./lib/postgres');
const { provisionTenant } = require('./lib/tenant');
const { runBare, runInbound, runOutbound, round } = require('./lib/load');
const { machine, markdown, targetChecks, updateDocs } = require('./lib/report');

const { values: opt } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string' },
    batch: { type: 'string' },
    'no-batches': { type: 'boolean', default: false },
    engines: { type: 'string', default: 'sqlite,postgres' },
    routes: { type: 'string', default: 'inbound,outbound' },
    warmup: { type: 'string' },
    'drain-timeout': { type: 'string', default: '180' },
    profile: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'keep-logs': { type: 'boolean', default: false },
    'out-dir': { type: 'string' },
    dist: { type: 'string' },
    'node-options': { type: 'string' },
    label: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
  },
});

const smoke = opt.smoke;
const settings = {
  duration: Number(opt.duration ?? (smoke ? 0.5 : 10)),
  connections: (opt.connections ?? '10,50').split(',').map(Number),
  batch: opt['no-batches'] ? 0 : Number(opt.batch ?? (smoke ? 200 : 100000)),
  warmup: Number(opt.warmup ?? (smoke ? 0 : 3)),
  drainTimeoutMs: Number(opt['drain-timeout']) * 1000,
  engines: opt.engines.split(',').map((e) => e.trim()),
  routes: opt.routes.split(',').map((r) => r.trim()),
};
for (const [k, v] of Object.entries({
  duration: settings.duration,
  batch: settings.batch,
  warmup: settings.warmup,
})) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a number`);
}
if (!settings.connections.every((c) => Number.isInteger(c) && c > 0))
  throw new Error('--connections: e.g. 10,50');

const stamp = new Date()
  .toISOString()
  .replace(/:\d\d\.\d+Z$/, 'Z')
  .replace(':', '');
const outDir = path.resolve(opt['out-dir'] ?? path.join(ROOT, 'bench', 'results'));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-bench-'));
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

const NUMBER = '17743008772';
const SENDER = '15083084809';
// The inbound payload of the provider-formats document, aimed at the provisioned number.
const INBOUND_PAYLOAD = JSON.stringify({
  from: `+${SENDER}`,
  recipients: [`+${NUMBER}`],
  ccRecipients: [],
  text: 'Hi there!',
  mediaURL: null,
  contentId: null,
});

const distDir = path.resolve(opt.dist ?? path.join(ROOT, 'dist'));

/** The commit the working tree is at, and whether it has changes; what `dist/` was built from. */
function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT })
        .toString()
        .trim() !== '';
    return `${head}${dirty ? ' (with uncommitted changes in src/)' : ''}`;
  } catch {
    return null;
  }
}

async function benchEngine(engine, ctx) {
  const result = {
    engine,
    bare: [],
    inbound: [],
    outbound: [],
    memory: { batches: [] },
    targets: [],
  };
  let db;
  if (engine === 'sqlite') {
    const file = path.join(workDir, 'gateway.sqlite');
    db = { url: `sqlite:${file}`, drop: async () => undefined };
  } else {
    const pg = await ctx.postgres();
    if (pg.skipped) return { ...result, skipped: pg.skipped };
    result.postgres = pg.source;
    db = await createDatabase(pg.baseUrl);
  }
  const adminKey = randomBytes(24).toString('hex');
  const logFile = path.join(workDir, `gateway-${engine}.log`);
  const cpuProfDir = opt.profile
    ? path.join(ROOT, 'bench', 'results', 'tmp', 'profiles', `${stamp}-${engine}`)
    : undefined;
  log(`${engine}: starting the gateway (log in ${logFile})`);
  const gateway = await startGateway({
    distDir,
    databaseUrl: db.url,
    adminKey,
    messaging: { peerless: { module: 'peerless', options: { url: `${ctx.provider.url}/send` } } },
    logFile,
    cpuProfDir,
    // On the command line rather than in NODE_OPTIONS, which refuses most V8 flags.
    nodeArgs: opt['node-options'] ? opt['node-options'].split(/\s+/).filter(Boolean) : [],
    extraEnv: {
      ...Object.fromEntries(
        opt.env.map((pair) => {
          const eq = pair.indexOf('=');
          if (eq < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
          return [pair.slice(0, eq), pair.slice(eq + 1)];
        }),
      ),
    },
  });
  const rss = rssSampler(gateway.pid);
  try {
    const tenant = await provisionTenant(gateway.url, adminKey, {
      hookUrl: `${ctx.app.url}/sms`,
      webhookSecret: ctx.webhookSecret,
      number: NUMBER,
    });
    const drainTimeoutMs = settings.drainTimeoutMs;
    const tag = `${stamp}-${engine}`;
    if (settings.warmup > 0) {
      log(`${engine}: warming up`);
      if (settings.routes.includes('inbound')) {
        await runInbound({
          gateway,
          appStub: ctx.app,
          payload: INBOUND_PAYLOAD,
          connections: 10,
          duration: settings.warmup,
          drainTimeoutMs,
        });
      }
      if (settings.routes.includes('outbound')) {
        await runOutbound({
          gateway,
          providerStub: ctx.provider,
          tenant,
          from: NUMBER,
          to: SENDER,
          connections: 10,
          duration: settings.warmup,
          tag: `${tag}-warm`,
        });
      }
    }
    for (const c of settings.connections) {
      const bare = await runBare(ctx.bare, INBOUND_PAYLOAD, c, settings.duration);
      result.bare.push(bare);
      log(
        `${engine}: bare ${c} conns: ${bare.reqPerSec} req/s, p99 ${bare.p99} ms, ${bare.cpuMsPerMessage} ms CPU/req`,
      );
      if (settings.routes.includes('inbound')) await inboundRun(c, bare);
      if (settings.routes.includes('outbound')) await outboundRun(c, bare);
    }
    async function inboundRun(c, bare) {
      const inbound = await runInbound({
        gateway,
        appStub: ctx.app,
        payload: INBOUND_PAYLOAD,
        connections: c,
        duration: settings.duration,
        drainTimeoutMs,
      });
      inbound.ratio = round(inbound.reqPerSec / bare.reqPerSec, 4);
      inbound.processedRatio = round(inbound.processedPerSec / bare.reqPerSec, 4);
      result.inbound.push(inbound);
      log(
        `${engine}: inbound ${c} conns: ${inbound.reqPerSec} acked/s (${(inbound.ratio * 100).toFixed(2)}%), ` +
          `p50 ${inbound.p50} p99 ${inbound.p99} ms, delivered ${inbound.delivered}/${inbound.receipts} in +${inbound.drainSeconds} s, ` +
          `processed ${inbound.processedPerSec}/s (${(inbound.processedRatio * 100).toFixed(2)}%), dup ${inbound.duplicates}, ` +
          `${inbound.cpuMsPerMessage} ms CPU/msg`,
      );
    }
    async function outboundRun(c, bare) {
      const outbound = await runOutbound({
        gateway,
        providerStub: ctx.provider,
        tenant,
        from: NUMBER,
        to: SENDER,
        connections: c,
        duration: settings.duration,
        tag: `${tag}-${c}`,
      });
      outbound.ratio = round(outbound.reqPerSec / bare.reqPerSec, 4);
      result.outbound.push(outbound);
      log(
        `${engine}: outbound ${c} conns: ${outbound.reqPerSec} req/s (${(outbound.ratio * 100).toFixed(2)}%), ` +
          `p50 ${outbound.p50} p99 ${outbound.p99} ms, provider got ${outbound.providerReceived}, dup ${outbound.providerDuplicates}, non-2xx ${outbound.non2xx}, ` +
          `${outbound.cpuMsPerMessage} ms CPU/msg`,
      );
    }
    if (settings.batch > 0) {
      const c = Math.max(...settings.connections);
      for (let i = 1; i <= 2; i += 1) {
        log(`${engine}: batch ${i} of ${settings.batch} inbound messages at ${c} connections`);
        const b = await runInbound({
          gateway,
          appStub: ctx.app,
          payload: INBOUND_PAYLOAD,
          connections: c,
          amount: settings.batch,
          drainTimeoutMs,
        });
        // Let timers and sockets of the batch settle before reading the resident size.
        await sleep(smoke ? 200 : 2000);
        const mem = memoryOf(gateway.pid);
        result.memory.batches.push({
          messages: settings.batch,
          ok: b.ok,
          non2xx: b.non2xx,
          errors: b.errors,
          reqPerSec: b.reqPerSec,
          p99: b.p99,
          delivered: b.delivered,
          missing: b.missing,
          duplicates: b.duplicates,
          badSignatures: b.badSignatures,
          drainSeconds: b.drainSeconds,
          cpuMsPerMessage: b.cpuMsPerMessage,
          rssAfter: mem?.rss,
        });
        log(
          `${engine}: batch ${i}: ${b.reqPerSec} acked/s, delivered ${b.delivered}/${b.receipts}, drain ${b.drainSeconds} s, RSS ${Math.round((mem?.rss ?? 0) / 2 ** 20)} MB`,
        );
      }
    }
    const mem = memoryOf(gateway.pid);
    result.memory.peakRss = mem?.hwm;
    result.memory.maxSampledRss = rss.maxRss();
  } finally {
    rss.stop();
    await gateway.stop();
    await db.drop().catch((err) => log(`${engine}: dropping the database failed: ${err.message}`));
  }
  const logBytes = fs.statSync(logFile).size;
  result.gatewayLogBytes = logBytes;
  if (!opt['keep-logs']) fs.rmSync(logFile, { force: true });
  result.targets = targetChecks(result);
  return result;
}

/** What makes the run fail: anything lost, repeated, refused or unsigned. Speed never does. */
function problemsOf(engines) {
  const problems = [];
  for (const e of engines) {
    if (e.skipped) continue;
    const runs = [
      ...e.inbound.map((r) => ({ ...r, what: `inbound ${r.connections} conns` })),
      ...e.memory.batches.map((r, i) => ({ ...r, what: `batch ${i + 1}` })),
    ];
    for (const r of runs) {
      const where = `${e.engine} ${r.what}`;
      if (r.ok === 0) problems.push(`${where}: nothing acknowledged`);
      if (r.non2xx > 0) problems.push(`${where}: ${r.non2xx} non-2xx answers`);
      if (r.errors > 0) problems.push(`${where}: ${r.errors} request errors`);
      if (r.missing > 0)
        problems.push(`${where}: ${r.missing} acknowledged messages never reached the application`);
      if (r.duplicates > 0) problems.push(`${where}: ${r.duplicates} messages delivered twice`);
      if (r.badSignatures > 0)
        problems.push(`${where}: ${r.badSignatures} deliveries with a wrong signature`);
    }
    for (const r of e.outbound) {
      const where = `${e.engine} outbound ${r.connections} conns`;
      if (r.ok === 0) problems.push(`${where}: nothing sent`);
      if (r.non2xx > 0)
        problems.push(`${where}: ${r.non2xx} non-2xx answers (${JSON.stringify(r.statusCodes)})`);
      if (r.errors > 0) problems.push(`${where}: ${r.errors} request errors`);
      if (r.providerDuplicates > 0)
        problems.push(`${where}: ${r.providerDuplicates} sends repeated at the provider`);
      if (r.providerReceived < r.ok)
        problems.push(`${where}: ${r.ok} answered 201 but the provider got ${r.providerReceived}`);
    }
  }
  return problems;
}

async function main() {
  const startedAt = new Date().toISOString();
  const m = machine();
  log(
    `machine: ${m.nproc} CPUs ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.loadAverageAtStart.join(' ')}`,
  );
  log(`settings: ${JSON.stringify(settings)}${smoke ? ' (smoke)' : ''}`);
  const webhookSecret = randomBytes(16).toString('hex');
  const bare = await startStub('bare-server.js');
  const provider = await startStub('provider-stub.js');
  const app = await startStub('app-stub.js', { BENCH_WEBHOOK_SECRET: webhookSecret });
  let pg;
  const ctx = {
    bare,
    provider,
    app,
    webhookSecret,
    postgres: async () => (pg ??= await acquirePostgres(log)),
  };
  const engines = [];
  const t0 = performance.now();
  try {
    for (const engine of settings.engines) {
      if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`unknown engine ${engine}`);
      const r = await benchEngine(engine, ctx);
      if (r.skipped) log(`${engine}: skipped: ${r.skipped}`);
      engines.push(r);
    }
  } finally {
    await Promise.all([bare.stop(), provider.stop(), app.stop()]);
    if (pg && !pg.skipped) await pg.stop();
    if (!opt['keep-logs']) fs.rmSync(workDir, { recursive: true, force: true });
  }
  const results = {
    startedAt,
    smoke,
    label: opt.label ?? null,
    build: { dist: path.relative(ROOT, distDir) || '.', commit: gitCommit() },
    settings: { ...settings, drainTimeoutMs: undefined },
    machine: { ...m, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    seconds: round((performance.now() - t0) / 1000, 1),
    engines,
    problems: problemsOf(engines),
  };
  const table = markdown(results);
  console.log(`\n${table}\n`);
  if (!smoke || opt['out-dir']) {
    fs.mkdirSync(outDir, { recursive: true });
    const jsonFile = path.join(outDir, `${stamp}.json`);
    fs.writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, `${stamp}.md`), `${table}\n`);
    log(`wrote ${path.relative(ROOT, jsonFile)}`);
    if (!smoke && !opt['no-docs']) {
      updateDocs(path.join(ROOT, 'docs', 'benchmarks.md'), table, path.relative(ROOT, jsonFile));
      log('updated docs/benchmarks.md');
    }
  }
  if (results.problems.length) {
    console.error(`bench: ${results.problems.length} problem(s): ${results.problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    log(`done in ${results.seconds} s`);
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.stack || err.message}`);
  process.exit(1);
});

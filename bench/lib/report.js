'use strict';
// What a run leaves behind: the machine it ran on, a markdown table, and the targets checked.
const fs = require('node:fs');
const os = require('node:os');

function machine() {
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1].trim();
  } catch {
    // not Linux: os.cpus() names the model
  }
  return {
    nproc:
      typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const mb = (bytes) =>
  bytes === undefined || bytes === null ? 'n/a' : `${Math.round(bytes / 2 ** 20)} MB`;
const pct = (n) => (n === undefined || n === null ? 'n/a' : `${(n * 100).toFixed(2)}%`);
const ms = (n) => (n === undefined || n === null ? 'n/a' : `${n}`);

/** The goals the gateway is held to (SQLite, 50 connections); none of them fails the run. */
const TARGETS = {
  inboundRatio: 0.06,
  outboundRatio: 0.065,
  p99Ms: 30,
  rssBytes: 150 * 2 ** 20,
};

function targetChecks(engine) {
  const checks = [];
  const c = Math.max(...engine.inbound.map((r) => r.connections), 0);
  const inbound = engine.inbound.find((r) => r.connections === c);
  const outbound = engine.outbound.find((r) => r.connections === c);
  if (inbound) {
    checks.push({
      name: `inbound at ${c} connections, fully processed, vs bare >= ${pct(TARGETS.inboundRatio)}`,
      value: pct(inbound.processedRatio),
      met: inbound.processedRatio >= TARGETS.inboundRatio,
    });
    checks.push({
      name: `inbound p99 < ${TARGETS.p99Ms} ms`,
      value: `${inbound.p99} ms`,
      met: inbound.p99 < TARGETS.p99Ms,
    });
  }
  if (outbound) {
    checks.push({
      name: `outbound at ${c} connections vs bare >= ${pct(TARGETS.outboundRatio)}`,
      value: pct(outbound.ratio),
      met: outbound.ratio >= TARGETS.outboundRatio,
    });
    checks.push({
      name: `outbound p99 < ${TARGETS.p99Ms} ms`,
      value: `${outbound.p99} ms`,
      met: outbound.p99 < TARGETS.p99Ms,
    });
  }
  if (engine.memory.peakRss !== undefined) {
    checks.push({
      name: `peak RSS < ${mb(TARGETS.rssBytes)}`,
      value: mb(engine.memory.peakRss),
      met: engine.memory.peakRss < TARGETS.rssBytes,
    });
  }
  const [b1, b2] = engine.memory.batches;
  if (b1 && b2) {
    // "Flat": the second batch may not add more than a tenth of what the first ended at.
    const growth = b2.rssAfter - b1.rssAfter;
    checks.push({
      name: 'RSS flat across batches (growth < 10%)',
      value: `${growth >= 0 ? '+' : ''}${mb(growth)}`,
      met: growth < b1.rssAfter * 0.1,
    });
  }
  return checks;
}

function markdown(results) {
  const m = results.machine;
  const lines = [];
  lines.push(
    `Run ${results.startedAt}${results.smoke ? ' (smoke)' : ''}${results.label ? ` (${results.label})` : ''}: ` +
      `${results.settings.duration} s per run, batches of ${results.settings.batch}; ` +
      `the build in ${results.build.dist}/, working tree at ${results.build.commit ?? 'unknown'}.`,
  );
  lines.push('');
  lines.push(
    `Machine: ${m.nproc} CPUs (${m.model}), ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.os}; ` +
      `load average at start ${m.loadAverageAtStart.join(' / ')}. Every process (bare server, gateway, ` +
      'stubs, load generator, database) runs on this one machine.',
  );
  lines.push('');
  lines.push(
    '| database | route | conns | acked req/s | vs bare | p50 ms | p99 ms | processed/s | vs bare | delivered | missing | dup | drain s | non-2xx / errors | CPU ms/msg |',
  );
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const e of results.engines) {
    if (e.skipped) {
      lines.push(`| ${e.engine} | skipped: ${e.skipped} | | | | | | | | | | | | | |`);
      continue;
    }
    for (const b of e.bare) {
      lines.push(
        `| ${e.engine} | bare node:http | ${b.connections} | ${b.reqPerSec} | 100% | ${ms(b.p50)} | ${ms(b.p99)} | | | | | | | ${b.non2xx} / ${b.errors} | ${ms(b.cpuMsPerMessage)} |`,
      );
    }
    for (const r of e.inbound) {
      lines.push(
        `| ${e.engine} | inbound | ${r.connections} | ${r.reqPerSec} | ${pct(r.ratio)} | ${ms(r.p50)} | ${ms(r.p99)} | ` +
          `${r.processedPerSec} | ${pct(r.processedRatio)} | ${r.delivered} | ${r.missing} | ${r.duplicates} | ${r.drainSeconds} | ${r.non2xx} / ${r.errors} | ${ms(r.cpuMsPerMessage)} |`,
      );
    }
    for (const r of e.outbound) {
      lines.push(
        `| ${e.engine} | outbound | ${r.connections} | ${r.reqPerSec} | ${pct(r.ratio)} | ${ms(r.p50)} | ${ms(r.p99)} | ` +
          `| | ${r.providerReceived} sent | | ${r.providerDuplicates} | | ${r.non2xx} / ${r.errors} | ${ms(r.cpuMsPerMessage)} |`,
      );
    }
  }
  lines.push('');
  lines.push(
    '| database | peak RSS (VmHWM) | highest sampled RSS | batch 1: req/s, drain s, RSS after | batch 2: req/s, drain s, RSS after | growth |',
  );
  lines.push('|---|--:|--:|--:|--:|--:|');
  for (const e of results.engines) {
    if (e.skipped) continue;
    const [b1, b2] = e.memory.batches;
    const cell = (b) => (b ? `${b.reqPerSec}, ${b.drainSeconds}, ${mb(b.rssAfter)}` : 'n/a');
    const growth = b1 && b2 ? mb(b2.rssAfter - b1.rssAfter) : 'n/a';
    lines.push(
      `| ${e.engine} | ${mb(e.memory.peakRss)} | ${mb(e.memory.maxSampledRss)} | ${cell(b1)} | ${cell(b2)} | ${growth} |`,
    );
  }
  lines.push('');
  lines.push(
    '"acked": 2xx answers per second while the load ran. "processed": acknowledged messages over the time from the ' +
      'first request to the last delivery at the application (stored, answered, signed and delivered). "vs bare": ' +
      'the ratio to the bare node:http server at the same number of connections, measured just before. ' +
      '"CPU ms/msg": CPU time (user + system) the gateway (or the bare server) used per message, deliveries ' +
      'included; it moves less than the rates with what else the machine runs, but still by a fifth or so.',
  );
  for (const e of results.engines) {
    if (e.skipped || !e.targets.length) continue;
    lines.push('');
    lines.push(
      `Goals on ${e.engine}: ` +
        e.targets.map((t) => `${t.name}: ${t.value} ${t.met ? '(met)' : '(NOT met)'}`).join('; ') +
        '.',
    );
  }
  if (results.problems.length) {
    lines.push('');
    lines.push('Problems found: ' + results.problems.join('; ') + '.');
  }
  return lines.join('\n');
}

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

/** Replaces the latest-results section of docs/benchmarks.md, leaving the rest as written. */
function updateDocs(file, table, resultFile) {
  const section = `${START}\n${table}\n\nRaw numbers: \`${resultFile}\`.\n${END}`;
  let text = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : `# Benchmarks\n\n## Latest results\n\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  text =
    a >= 0 && b > a
      ? text.slice(0, a) + section + text.slice(b + END.length)
      : `${text}\n## Latest results\n\n${section}\n`;
  fs.writeFileSync(file, text);
}

module.exports = { machine, markdown, targetChecks, updateDocs, TARGETS };

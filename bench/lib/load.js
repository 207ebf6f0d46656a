'use strict';
// The load itself: autocannon against the bare server and the gateway, and the bookkeeping that
// turns a run into numbers (acknowledged rate, latency, deliveries, drain time).
const autocannon = require('autocannon');
const { performance } = require('node:perf_hooks');
const { cpuMsOf, sleep } = require('./processes');

/** One autocannon run; `amount` (a fixed number of requests) takes precedence over `duration`. */
function cannon(opts) {
  return new Promise((resolve, reject) => {
    const options = { timeout: 10, ...opts };
    for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
    if (options.amount) delete options.duration;
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
    // The progress bar and table are printed by the caller, once per run.
    instance.on('error', () => undefined);
  });
}

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The numbers kept of an autocannon result: acknowledged (2xx) requests per second and latency. */
function summarize(result) {
  const ok = result['2xx'];
  return {
    connections: result.connections,
    seconds: round(result.duration, 2),
    requests: ok + result.non2xx,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats || {}).map(([code, s]) => [code, s.count]),
    ),
    reqPerSec: round(ok / result.duration, 0),
    p50: result.latency.p50,
    p99: result.latency.p99,
    maxLatency: result.latency.max,
  };
}

/** Gateway CPU time spent per message since `before` (includes deliveries made in the drain). */
function cpuPer(pid, before, messages) {
  const after = cpuMsOf(pid);
  if (before === undefined || after === undefined || messages === 0) return undefined;
  return round((after - before) / messages, 3);
}

/** The bare node:http server, driven with the same request as the gateway's inbound route. */
async function runBare(bare, body, connections, duration) {
  const cpuBefore = cpuMsOf(bare.pid);
  const result = await cannon({
    url: `${bare.url}/v1/messaging/peerless`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
  });
  const summary = summarize(result);
  return { ...summary, cpuMsPerMessage: cpuPer(bare.pid, cpuBefore, summary.requests) };
}

/**
 * Waits until the application stub has been called for every acknowledged message (or
 * `timeoutMs` passes), then checks the acknowledged messageSids one by one.
 */
async function drain(appStub, receipts, loadStartedAt, timeoutMs) {
  const ended = performance.now();
  const deadline = ended + timeoutMs;
  let stats = await appStub.ask('stats');
  while (stats.delivered < receipts.length && performance.now() < deadline) {
    await sleep(20);
    stats = await appStub.ask('stats');
  }
  const drained = performance.now();
  // A late repeat (a retry of a call that in fact arrived) would come within moments.
  await sleep(300);
  stats = await appStub.ask('stats');
  const missing = await appStub.ask('missing', { sids: receipts });
  const totalSeconds = (drained - loadStartedAt) / 1000;
  return {
    delivered: stats.delivered,
    missing: missing.count,
    missingSample: missing.sample,
    duplicates: stats.duplicates,
    badSignatures: stats.badSignatures,
    unreadable: stats.unreadable,
    drainSeconds: round((drained - ended) / 1000, 2),
    // Acknowledged messages over the time from the first request to the last delivery.
    processedPerSec: round(receipts.length / totalSeconds, 0),
  };
}

/**
 * Inbound: Peerless posts to /v1/messaging/peerless for a provisioned number. Every 200 carries
 * the messageSid as `receipt`; the run ends when the application has received each of them.
 */
async function runInbound({
  gateway,
  appStub,
  payload,
  connections,
  duration,
  amount,
  drainTimeoutMs,
}) {
  await appStub.ask('reset');
  const receipts = [];
  const cpuBefore = cpuMsOf(gateway.pid);
  const started = performance.now();
  const result = await cannon({
    url: `${gateway.url}/v1/messaging/peerless`,
    connections,
    duration,
    amount,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
        onResponse: (status, body) => {
          if (status !== 200) return;
          try {
            const receipt = JSON.parse(body).receipt;
            if (typeof receipt === 'string') receipts.push(receipt);
          } catch {
            // an acknowledgement without a readable receipt is counted by the checks below
          }
        },
      },
    ],
  });
  const summary = summarize(result);
  const delivery = await drain(appStub, receipts, started, drainTimeoutMs);
  return {
    ...summary,
    receipts: receipts.length,
    ...delivery,
    cpuMsPerMessage: cpuPer(gateway.pid, cpuBefore, receipts.length),
  };
}

/**
 * Outbound: the Messages API with the account's key and an Idempotency-Key per request, each
 * text unique so that the provider stub can tell a repeated send.
 */
async function runOutbound({
  gateway,
  providerStub,
  tenant,
  from,
  to,
  connections,
  duration,
  amount,
  tag,
}) {
  await providerStub.ask('reset');
  const cpuBefore = cpuMsOf(gateway.pid);
  let n = 0;
  const result = await cannon({
    url: `${gateway.url}/v1/Accounts/${tenant.accountSid}/Messages`,
    connections,
    duration,
    amount,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          n += 1;
          req.headers['idempotency-key'] = `${tag}-${n}`;
          req.body = JSON.stringify({ from, to, text: `bench ${tag} ${n}` });
          return req;
        },
      },
    ],
  });
  const summary = summarize(result);
  // Sends that were under way when the load stopped reach the stub within moments.
  await sleep(300);
  const stats = await providerStub.ask('stats');
  return {
    ...summary,
    providerReceived: stats.received,
    providerDuplicates: stats.duplicates,
    cpuMsPerMessage: cpuPer(gateway.pid, cpuBefore, stats.received),
  };
}

module.exports = { runBare, runInbound, runOutbound, round };

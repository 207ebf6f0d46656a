#!/usr/bin/env node
'use strict';
/*
 * A tiny messaging application for the gateway, with no dependencies: its messaging webhook
 * (POST /sms) answers each inbound SMS with a `message` verb that echoes the text back to the
 * sender, and its actionHook (POST /sms/action) is told how that reply went.
 *
 *   node examples/echo-app/server.js          # listens on 127.0.0.1:3100
 *   ECHO_APP_PORT=4000 node examples/echo-app/server.js
 *
 * With WEBHOOK_SECRET set to the account's webhook secret (GET /v1/Accounts/{sid}/WebhookSecret),
 * it also checks the Jambonz-Signature header of every call and refuses unsigned ones.
 */
const crypto = require('node:crypto');
const http = require('node:http');

const PORT = Number(process.env.ECHO_APP_PORT || 3100);
const HOST = process.env.ECHO_APP_HOST || '127.0.0.1';
const SECRET = process.env.WEBHOOK_SECRET || '';

/** `Jambonz-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, at most 5 minutes old. */
function signatureIsValid(header, body) {
  const parts = Object.fromEntries(
    String(header || '')
      .split(',')
      .map((p) => p.split('=')),
  );
  if (!parts.t || !parts.v1) return false;
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const expected = crypto.createHmac('sha256', SECRET).update(`${parts.t}.${body}`).digest('hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === 32 && crypto.timingSafeEqual(given, Buffer.from(expected, 'hex'));
}

function answer(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url || '/', 'http://echo-app');
    if (SECRET && !signatureIsValid(req.headers['jambonz-signature'], raw)) {
      console.log(`${req.method} ${url.pathname}: bad or missing signature, refused`);
      return answer(res, 401, { msg: 'bad signature' });
    }
    let payload = {};
    try {
      // A GET webhook sends the same fields as query parameters.
      payload = raw ? JSON.parse(raw) : Object.fromEntries(url.searchParams);
    } catch {
      return answer(res, 400, { msg: 'the body is not JSON' });
    }

    if (url.pathname === '/sms') {
      const to = Array.isArray(payload.to) ? payload.to[0] : payload.to;
      console.log(
        `SMS ${payload.messageSid} from ${payload.from} to ${to}: ${JSON.stringify(payload.text)}`,
      );
      // The reply goes back from the number that was texted, to the sender.
      return answer(res, 200, [
        {
          verb: 'message',
          from: to,
          to: payload.from,
          text: `You said: ${payload.text}`,
          actionHook: '/sms/action',
        },
      ]);
    }
    if (url.pathname === '/sms/action') {
      console.log(
        `reply ${payload.message_sid}: ${payload.message_status}` +
          (payload.message_failure_reason ? ` (${payload.message_failure_reason})` : '') +
          ` via ${payload.carrier}`,
      );
      return answer(res, 200, {});
    }
    answer(res, 404, { msg: `nothing at ${url.pathname}` });
  });
});

server.listen(PORT, HOST, () => {
  console.log(`echo app listening on http://${HOST}:${PORT} (messaging webhook: POST /sms)`);
});

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.close(() => process.exit(0)));

'use strict';
// Sets up, over the gateway's own API, what a run needs: an account with a signing secret, an
// account API key, an application whose messaging webhook is the application stub, and a number.

async function call(baseUrl, token, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201)
    throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function provisionTenant(baseUrl, adminKey, { hookUrl, webhookSecret, number }) {
  const account = await call(baseUrl, adminKey, 'POST', '/v1/Accounts', {
    name: 'bench',
    webhook_secret: webhookSecret,
  });
  const key = await call(baseUrl, adminKey, 'POST', '/v1/ApiKeys', { account_sid: account.sid });
  const app = await call(baseUrl, adminKey, 'POST', '/v1/Applications', {
    name: 'bench',
    account_sid: account.sid,
    messaging_hook: { url: hookUrl, method: 'POST' },
  });
  await call(baseUrl, adminKey, 'POST', '/v1/PhoneNumbers', {
    number,
    account_sid: account.sid,
    application_sid: app.sid,
  });
  return { accountSid: account.sid, apiKey: key.token, applicationSid: app.sid };
}

module.exports = { provisionTenant };

import { createHmac } from 'node:crypto';

/**
 * The `Jambonz-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed
 * by the account's webhook secret, over the exact bytes sent (the empty string for a GET).
 */
export function jambonzSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

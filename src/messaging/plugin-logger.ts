import { Logger } from '@nestjs/common';
import { redactText, redactValues } from '../common/redact';
import type { PluginLogger } from './messaging-plugin.interface';

/** How much of one structured log object is written, so a plug-in cannot flood the log. */
const MAX_LOGGED = 1000;

function describe(obj: unknown): string {
  if (typeof obj === 'string') return obj;
  if (obj instanceof Error) return obj.message.split('\n')[0] ?? '';
  try {
    const text = JSON.stringify(obj, (_key, value: unknown) =>
      value instanceof Error ? (value.message.split('\n')[0] ?? '') : value,
    );
    return (text ?? String(obj)).slice(0, MAX_LOGGED);
  } catch {
    return String(obj);
  }
}

/**
 * The logger a plug-in finds in its options, in the pino style the plug-ins are written for
 * (`logger.error({err}, 'msg')`). With a message, only the message and the object's `err` are
 * written: plug-ins put whole payloads (phone numbers, texts) beside it. Whatever is written is
 * cleaned of URL credentials and of the provider's configured secrets.
 */
export function createPluginLogger(name: string, secrets: readonly string[] = []): PluginLogger {
  const logger = new Logger(`plugin:${name}`);
  const text = (obj: unknown, msg?: string): string => {
    let line: string;
    if (msg === undefined) {
      line = describe(obj);
    } else {
      const err = (obj as { err?: unknown } | null | undefined)?.err;
      line = err === undefined ? msg : `${msg}: ${describe(err)}`;
    }
    return redactValues(redactText(line), secrets);
  };
  return {
    info: (obj, msg) => logger.log(text(obj, msg)),
    debug: (obj, msg) => logger.debug(text(obj, msg)),
    warn: (obj, msg) => logger.warn(text(obj, msg)),
    error: (obj, msg) => logger.error(text(obj, msg)),
  };
}

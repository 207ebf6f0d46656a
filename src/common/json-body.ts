import type { IncomingMessage, ServerResponse } from 'node:http';
import bytes from 'bytes';
import createError from 'http-errors';

/** `application/json`, with at most a UTF-8 charset: the type nearly every JSON body has. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-?8"?\s*)?$/i;

type Next = (err?: unknown) => void;
type BodyRequest = IncomingMessage & { body?: unknown };

/**
 * The common case of a JSON body, read and parsed in one pass: `application/json` in UTF-8, not
 * compressed, of a declared length within `limit`. It answers like body-parser's JSON parser (an
 * object or array at the top, a leading BOM dropped, the same error types for the exception
 * filter), and leaves every other request to the body-parser middlewares after it, which then
 * find the body already read and skip it. The general parsers cost several times more per
 * request, for charsets, compression and streaming that such bodies do not need.
 */
export function plainJsonBody(
  limit: string,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const maxBytes = bytes.parse(limit) ?? 0;
  return (req: BodyRequest, _res, next) => {
    const type = req.headers['content-type'];
    const declared = req.headers['content-length'];
    if (
      typeof type !== 'string' ||
      !PLAIN_JSON.test(type) ||
      declared === undefined ||
      req.headers['content-encoding'] !== undefined ||
      req.headers['transfer-encoding'] !== undefined
    ) {
      next();
      return;
    }
    const length = Number(declared);
    // Empty and oversized bodies get body-parser's own answers.
    if (!Number.isInteger(length) || length <= 0 || length > maxBytes) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      next(err);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (received !== length) {
        settle(
          createError(400, 'request size did not match content length', {
            type: 'request.size.invalid',
          }),
        );
        return;
      }
      let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString(
        'utf8',
      );
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const first = text.trimStart()[0];
      if (first !== '{' && first !== '[') {
        settle(parseFailed(`unexpected "${first ?? ''}" at the start of the JSON body`));
        return;
      }
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (err) {
        settle(parseFailed(err instanceof Error ? err.message : String(err)));
        return;
      }
      settle();
    };
    const onError = (err: Error): void => settle(aborted(err.message));
    const onClose = (): void => {
      if (!req.complete) settle(aborted('request aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  };
}

function parseFailed(message: string): Error {
  return createError(400, message, { type: 'entity.parse.failed' });
}

function aborted(message: string): Error {
  return createError(400, message, { type: 'request.aborted' });
}

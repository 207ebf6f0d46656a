import type { HookTarget } from '../webhooks/hook-target';

/** A `message` verb, checked. */
export interface MessageVerb {
  from: string;
  to: string;
  text?: string;
  media?: string[];
  provider?: string;
  actionHook?: { url: string; method: 'POST' | 'GET' };
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function parseHook(raw: unknown): MessageVerb['actionHook'] | string {
  if (raw === undefined) return undefined;
  if (isText(raw)) return { url: raw, method: 'POST' };
  if (typeof raw === 'object' && raw !== null) {
    const { url, method } = raw as Record<string, unknown>;
    if (!isText(url)) return '"actionHook.url" must be a URL';
    if (method !== undefined && method !== 'POST' && method !== 'GET' && method !== 'post' && method !== 'get') {
      return '"actionHook.method" must be POST or GET';
    }
    return { url, method: typeof method === 'string' && method.toUpperCase() === 'GET' ? 'GET' : 'POST' };
  }
  return '"actionHook" must be a URL or {url, method}';
}

/**
 * Reads one verb of an application's answer. Returns the message verb, `null` for a verb of
 * another kind (nothing for the gateway to do), or a string saying why it is invalid.
 */
export function parseMessageVerb(raw: unknown): MessageVerb | null | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'a verb must be an object';
  const v = raw as Record<string, unknown>;
  if (v.verb !== 'message') return typeof v.verb === 'string' ? null : 'a verb needs a "verb" name';
  if (!isText(v.from)) return 'the message verb needs "from"';
  if (!isText(v.to)) return 'the message verb needs "to"';
  if (v.text !== undefined && typeof v.text !== 'string') return '"text" must be a string';
  let media: string[] | undefined;
  if (v.media !== undefined) {
    if (isText(v.media)) media = [v.media];
    else if (Array.isArray(v.media) && v.media.every(isText)) media = v.media;
    else return '"media" must be a URL or a list of URLs';
  }
  if (!isText(v.text) && !media?.length) return 'the message verb needs "text" or "media"';
  const provider = v.provider ?? v.carrier;
  if (provider !== undefined && !isText(provider)) return '"provider" must be a provider name';
  const hook = parseHook(v.actionHook);
  if (typeof hook === 'string') return hook;
  return {
    from: v.from,
    to: v.to,
    ...(typeof v.text === 'string' ? { text: v.text } : {}),
    ...(media ? { media } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(hook ? { actionHook: hook } : {}),
  };
}

export type { HookTarget };

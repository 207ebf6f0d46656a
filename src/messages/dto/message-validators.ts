import {
  isURL,
  ValidateBy,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
export const MAX_MEDIA = 10;

export const isHttpUrl = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 2048 && isURL(value, URL_OPTIONS);

/** `media`: one URL, or a list of at most MAX_MEDIA URLs. */
export function IsMediaList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMediaList',
      validator: {
        validate: (value: unknown) =>
          isHttpUrl(value) ||
          (Array.isArray(value) && value.length <= MAX_MEDIA && value.every(isHttpUrl)),
        defaultMessage: () =>
          `media must be an http(s) URL or a list of at most ${MAX_MEDIA} http(s) URLs`,
      },
    },
    options,
  );
}

/** `status_hook`: a URL, or `{url, method?: "POST" | "GET"}` and nothing else. */
export function IsHookTarget(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHookTarget',
      validator: {
        validate: (value: unknown) => {
          if (isHttpUrl(value)) return true;
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const { url, method, ...rest } = value as Record<string, unknown>;
          if (Object.keys(rest).length > 0 || !isHttpUrl(url)) return false;
          return (
            method === undefined || (typeof method === 'string' && /^(POST|GET)$/i.test(method))
          );
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'hook'} must be an http(s) URL or {url, method?: "POST" | "GET"}`,
      },
    },
    options,
  );
}

/** NUL, which PostgreSQL refuses in text, or half of a surrogate pair, which no encoding can carry. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(value: unknown, object: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') return 'text must be a string';
  if (typeof value === 'string' && UNSTORABLE.test(value)) {
    return 'text must not contain NUL characters or unpaired surrogates';
  }
  const media = (object as { media?: unknown } | undefined)?.media;
  const hasMedia = typeof media === 'string' || (Array.isArray(media) && media.length > 0);
  if ((typeof value !== 'string' || value === '') && !hasMedia) return 'text or media is required';
  return undefined;
}

/**
 * On `text`: a message carries a non-empty text, media, or both. Checked on `text` so that the
 * error names the fields a caller can fix.
 */
export function IsTextOrMedia(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTextOrMedia',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          textProblem(value, args?.object) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          textProblem(args?.value, args?.object) ?? 'text is not valid',
      },
    },
    options,
  );
}

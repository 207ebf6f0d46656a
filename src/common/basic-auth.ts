/** User and password as an HTTP Basic header carries them: base64 of `user:password` in UTF-8. */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

/** The `Authorization` header value for HTTP Basic. */
export const basicAuthorization = (user: string, password: string): string =>
  `Basic ${basicCredentials(user, password)}`;

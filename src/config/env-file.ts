import { existsSync } from 'node:fs';

/** Reads `.env` from the working directory when there is one; set variables win over it. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

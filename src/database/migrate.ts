import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../config/environment';
import { loadEnvFile } from '../config/env-file';
import { dataSourceOptions } from './data-source-options';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  loadEnvFile();
  const source = new DataSource({
    ...dataSourceOptions(parseDatabaseUrl(process.env.DATABASE_URL)),
    migrationsRun: false,
  });
  await source.initialize();
  const applied = await source.runMigrations({ transaction: 'each' });
  console.log(
    `migrations applied: ${applied.length === 0 ? 'none pending' : applied.map((m) => m.name).join(', ')}`,
  );
  await source.destroy();
}

main().catch((err: unknown) => {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

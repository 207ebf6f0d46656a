import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

const sid = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const text = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
const int = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => str(name, 32, nullable);
const pk = (name: string): TableColumnOptions => ({ ...sid(name), isPrimary: true });

/** The whole schema, in types both SQLite and PostgreSQL accept. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'accounts',
        columns: [
          pk('sid'),
          str('name', 255),
          str('webhook_secret', 255, true),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          pk('sid'),
          sid('account_sid'),
          str('token_hash', 64),
          time('created_at'),
          time('last_used_at', true),
        ],
        indices: [
          { name: 'IDX_api_keys_account', columnNames: ['account_sid'] },
          { name: 'UQ_api_keys_token_hash', columnNames: ['token_hash'], isUnique: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'applications',
        columns: [
          pk('sid'),
          sid('account_sid'),
          str('name', 255),
          str('messaging_hook_url', 2048, true),
          str('messaging_hook_method', 8, true),
          str('messaging_hook_username', 255, true),
          str('messaging_hook_password', 255, true),
          time('created_at'),
        ],
        indices: [{ name: 'IDX_applications_account', columnNames: ['account_sid'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'phone_numbers',
        columns: [
          pk('sid'),
          str('number', 32),
          sid('account_sid'),
          sid('application_sid', true),
          time('created_at'),
        ],
        indices: [
          { name: 'UQ_phone_numbers_number', columnNames: ['number'], isUnique: true },
          { name: 'IDX_phone_numbers_account', columnNames: ['account_sid'] },
          { name: 'IDX_phone_numbers_application', columnNames: ['application_sid'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'messages',
        columns: [
          pk('sid'),
          sid('account_sid'),
          sid('application_sid', true),
          str('direction', 8),
          str('provider', 128),
          str('from', 64),
          text('to', false),
          text('cc', false),
          text('text'),
          text('media', false),
          int('segments'),
          str('encoding', 8),
          str('status', 20),
          text('failure_reason'),
          str('provider_message_id', 255, true),
          text('provider_response'),
          sid('parent_message_sid', true),
          str('idempotency_key', 255, true),
          str('request_hash', 64, true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          { name: 'IDX_messages_account_created', columnNames: ['account_sid', 'created_at'] },
          {
            name: 'UQ_messages_account_idempotency',
            columnNames: ['account_sid', 'idempotency_key'],
            isUnique: true,
          },
          { name: 'IDX_messages_parent', columnNames: ['parent_message_sid'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'message_events',
        columns: [
          pk('id'),
          sid('message_sid'),
          str('status', 20),
          text('detail'),
          time('created_at'),
        ],
        indices: [{ name: 'IDX_message_events_message', columnNames: ['message_sid'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          pk('id'),
          sid('message_sid'),
          sid('account_sid'),
          sid('application_sid', true),
          str('kind', 20),
          str('url', 2048),
          str('method', 8),
          text('payload', false),
          str('state', 12),
          int('attempts'),
          time('next_attempt_at'),
          time('locked_until', true),
          text('last_error'),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          { name: 'IDX_webhook_deliveries_due', columnNames: ['state', 'next_attempt_at'] },
          { name: 'IDX_webhook_deliveries_message', columnNames: ['message_sid'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'delivery_attempts',
        columns: [
          pk('id'),
          sid('delivery_id'),
          sid('message_sid'),
          int('attempt'),
          int('status_code', true),
          text('error'),
          int('duration_ms'),
          time('created_at'),
        ],
        indices: [
          { name: 'IDX_delivery_attempts_delivery', columnNames: ['delivery_id'] },
          { name: 'IDX_delivery_attempts_message', columnNames: ['message_sid'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'delivery_attempts',
      'webhook_deliveries',
      'message_events',
      'messages',
      'phone_numbers',
      'applications',
      'api_keys',
      'accounts',
    ]) {
      await q.dropTable(table);
    }
  }
}

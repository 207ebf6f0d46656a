import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type MessageDirection = 'inbound' | 'outbound';

/** Outbound: queued -> sent | failed. Inbound: received -> delivered-to-app | failed-to-app. */
export type MessageStatus =
  'queued' | 'sent' | 'failed' | 'received' | 'delivered-to-app' | 'failed-to-app';

@Entity('messages')
@Index(['account_sid', 'created_at'])
@Index(['account_sid', 'idempotency_key'], { unique: true })
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  sid!: string;

  @Column({ type: 'varchar', length: 36 })
  account_sid!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  application_sid!: string | null;

  @Column({ type: 'varchar', length: 8 })
  direction!: MessageDirection;

  @Column({ type: 'varchar', length: 128 })
  provider!: string;

  @Column({ type: 'varchar', length: 64 })
  from!: string;

  /** JSON array of numbers. */
  @Column({ type: 'simple-json' })
  to!: string[];

  @Column({ type: 'simple-json' })
  cc!: string[];

  @Column({ type: 'text', nullable: true })
  text!: string | null;

  @Column({ type: 'simple-json' })
  media!: string[];

  @Column({ type: 'integer' })
  segments!: number;

  @Column({ type: 'varchar', length: 8 })
  encoding!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: MessageStatus;

  @Column({ type: 'text', nullable: true })
  failure_reason!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  provider_message_id!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  provider_response!: unknown;

  /** The inbound message a reply answers. */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  parent_message_sid!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotency_key!: string | null;

  /** SHA-256 of the request body the idempotency key was first used with. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  request_hash!: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;

  @Column({ type: 'varchar', length: 32 })
  updated_at!: string;
}

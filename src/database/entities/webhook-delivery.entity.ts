import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryKind = 'messaging_hook' | 'action_hook' | 'status_hook';
export type DeliveryState = 'pending' | 'delivered' | 'failed';

/**
 * A call the gateway owes an application, kept until it is made: the outbox that makes webhook
 * delivery survive a restart. `locked_until` is the lease of the process working on it.
 */
@Entity('webhook_deliveries')
@Index(['state', 'next_attempt_at'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  message_sid!: string;

  @Column({ type: 'varchar', length: 36 })
  account_sid!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  application_sid!: string | null;

  @Column({ type: 'varchar', length: 20 })
  kind!: DeliveryKind;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'varchar', length: 8 })
  method!: string;

  /** The JSON payload; sent as the body of a POST or as the query of a GET. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 12 })
  state!: DeliveryState;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'varchar', length: 32 })
  next_attempt_at!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  locked_until!: string | null;

  @Column({ type: 'text', nullable: true })
  last_error!: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;

  @Column({ type: 'varchar', length: 32 })
  updated_at!: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One HTTP call to an application, whatever its outcome. */
@Entity('delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  delivery_id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  message_sid!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'integer', nullable: true })
  status_code!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer' })
  duration_ms!: number;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;
}

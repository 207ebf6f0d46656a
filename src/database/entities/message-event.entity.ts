import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One step of a message's status history. */
@Entity('message_events')
export class MessageEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  message_sid!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('applications')
export class ApplicationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  sid!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  account_sid!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  messaging_hook_url!: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  messaging_hook_method!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  messaging_hook_username!: string | null;

  /** Stored for Basic auth towards the application; never returned. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  messaging_hook_password!: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;
}

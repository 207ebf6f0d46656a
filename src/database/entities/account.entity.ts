import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('accounts')
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  sid!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** Signs the webhooks of this account's applications; never returned but by its own endpoint. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  webhook_secret!: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  sid!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  account_sid!: string;

  /** SHA-256 of the token; the token itself is shown once, at creation, and never stored. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  token_hash!: string;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  last_used_at!: string | null;
}

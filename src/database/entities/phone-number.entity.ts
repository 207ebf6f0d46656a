import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('phone_numbers')
export class PhoneNumberEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  sid!: string;

  /** Digits only, country code first (`15085710838`). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  number!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  account_sid!: string;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  application_sid!: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at!: string;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A tenant's number (docs/tenants.md): with tenancy, every stored key is `<number>:<id>`, so
 * the inbox's indexes hold a few digits per key instead of the tenant id. Assigned the first
 * time any node sees the tenant, never changed or reused.
 */
@Entity('notification_tenants')
@Index('uq_notification_tenants_tenant_id', ['tenantId'], { unique: true })
export class TenantEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  number: number;

  /** The tenant id as tokens and host code name it (1 to 100 characters). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsUuidLike, MaxJsonSize } from '../../common/validation/decorators';
import { schemaMessage as m } from '../../common/validation/schema';
import { LinkDto } from '../../common/dto/link.dto';

const STRING_OR_NULL = "'string', 'null'";
const OBJECT_OR_NULL = "'object', 'null'";

/** A node to enroll. */
export class CreateNodeDto {
  /** Hardware type that manages the node; this service ships `fake-hardware`. */
  @IsString(m.type("'string'"))
  @MaxLength(255, m.tooLong())
  driver: string;

  /** UUID for the node; generated when absent. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @IsUuidLike()
  uuid?: string | null;

  /** Unique name: letters, digits and `-._~`, not UUID-like. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(255, m.tooLong())
  name?: string | null;

  /** Free-form description. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(4096, m.tooLong())
  description?: string | null;

  /** Project that owns the node. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(255, m.tooLong())
  owner?: string | null;

  /** Project the node is leased to. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(255, m.tooLong())
  lessee?: string | null;

  /** Resource class for scheduling. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(80, m.tooLong())
  resource_class?: string | null;

  /** UUID of the instance deployed on the node. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @IsUuidLike()
  instance_uuid?: string | null;

  /** Whether the node is in maintenance mode: a boolean, or a string Ironic reads as one ("yes", "off", ...). */
  @IsOptional()
  @ValidateIf((_node, value) => typeof value !== 'string')
  @IsBoolean(m.type("'string', 'boolean', 'null'"))
  @ApiPropertyOptional({ oneOf: [{ type: 'boolean' }, { type: 'string' }] })
  maintenance?: boolean | string | null;

  /** Why the node is in maintenance mode. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(4096, m.tooLong())
  maintenance_reason?: string | null;

  /** Physical characteristics of the node. */
  @IsOptional()
  @IsObject(m.type(OBJECT_OR_NULL))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  properties?: Record<string, unknown> | null;

  /** Free-form metadata. */
  @IsOptional()
  @IsObject(m.type(OBJECT_OR_NULL))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  extra?: Record<string, unknown> | null;

  /** Driver settings (e.g. BMC address). */
  @IsOptional()
  @IsObject(m.type(OBJECT_OR_NULL))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  driver_info?: Record<string, unknown> | null;

  /** Deployment settings of the instance. */
  @IsOptional()
  @IsObject(m.type(OBJECT_OR_NULL))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  instance_info?: Record<string, unknown> | null;

  /** Boot interface (API 1.31): fake, or ipxe (ENABLED_BOOT_INTERFACES); the hardware type's default when absent. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(255, m.tooLong())
  boot_interface?: string | null;

  /** Deploy interface (API 1.31): fake, or direct (ENABLED_DEPLOY_INTERFACES). */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(255, m.tooLong())
  deploy_interface?: string | null;

  /** Storage interface (API 1.33): noop, or external (ENABLED_STORAGE_INTERFACES): boot from the node's volume targets. */
  @IsOptional()
  @IsString(m.type(STRING_OR_NULL))
  @MaxLength(255, m.tooLong())
  storage_interface?: string | null;
}

export const POWER_TARGETS = ['power on', 'power off', 'rebooting', 'soft power off', 'soft rebooting'] as const;
export type PowerTarget = (typeof POWER_TARGETS)[number];

/** A requested power state change (documentation: the handler checks the members as Ironic's arguments, node-args.ts). */
export class SetPowerStateDto {
  /** The power state to move to. */
  @ApiProperty({ enum: POWER_TARGETS, example: 'power on' })
  target: string;

  /** Seconds the driver may take (API 1.27 and later). */
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1 })
  timeout?: number | null;
}

/** The state of a node. */
export class NodeStatesDto {
  @ApiProperty({ type: String, nullable: true, example: 'power off' })
  power_state: string | null;
  @ApiProperty({ type: String, nullable: true })
  target_power_state: string | null;
  @ApiProperty({ example: 'enroll' })
  provision_state: string;
  @ApiProperty({ type: String, nullable: true })
  target_provision_state: string | null;
  @ApiProperty({ type: String, nullable: true })
  provision_updated_at: string | null;
  @ApiProperty({ type: String, nullable: true })
  last_error: string | null;
  console_enabled: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'From 1.12.' })
  raid_config?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'From 1.12.' })
  target_raid_config?: Record<string, unknown>;
}

/** A node as the API shows it; list views hold the fields asked for. */
export class NodeDto {
  @ApiPropertyOptional({ format: 'uuid' })
  uuid?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  name?: string | null;
  driver?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  description?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  owner?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  lessee?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  power_state?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  target_power_state?: string | null;
  provision_state?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  target_provision_state?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  provision_updated_at?: string | null;
  maintenance?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true })
  maintenance_reason?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  instance_uuid?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  resource_class?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  last_error?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  reservation?: string | null;
  /** Boot interface (API 1.31). */
  boot_interface?: string;
  /** Deploy interface (API 1.31). */
  deploy_interface?: string;
  /** Storage interface (API 1.33). */
  storage_interface?: string;
  console_enabled?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  properties?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extra?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  driver_info?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  instance_info?: Record<string, unknown>;
  created_at?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  updated_at?: string | null;
  links?: LinkDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Always null: ironvol has no chassis.' })
  chassis_uuid?: string | null;
  states?: LinkDto[];
  volume?: LinkDto[];
}

export class NodeCollectionDto {
  nodes: NodeDto[];
  /** URL of the next page; present when this page is full. */
  next?: string;
}


/** A requested provisioning action (documentation: the handler checks the members as Ironic's arguments). */
export class SetProvisionStateDto {
  /** The action: manage, provide, inspect, clean, active, deleted, rebuild, adopt, ... */
  @ApiProperty({ example: 'manage' })
  target: string;

  /** Config drive for "active" and "rebuild" (accepted, not used by fake-hardware). */
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'object' }], nullable: true })
  configdrive?: unknown;

  /** Clean steps for "clean" (accepted, not used by fake-hardware). */
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, nullable: true })
  clean_steps?: unknown;

  /** Deploy steps for "active" and "rebuild" (accepted, not used by fake-hardware). */
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, nullable: true })
  deploy_steps?: unknown;

  /** Password for "rescue" (accepted, not used by fake-hardware). */
  @ApiPropertyOptional({ type: 'string', nullable: true })
  rescue_password?: string;

  /** Whether to skip booting the agent ramdisk for clean and service steps (accepted, not used by fake-hardware). */
  @ApiPropertyOptional({ type: 'boolean', nullable: true })
  disable_ramdisk?: boolean;
}

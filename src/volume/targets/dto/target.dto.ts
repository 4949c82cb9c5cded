import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsUuidLike, MaxJsonSize } from '../../../common/validation/decorators';
import { schemaMessage as m } from '../../../common/validation/schema';
import { INT32_MAX, INT32_MIN } from '../../../common/validation/limits';
import { LinkDto } from '../../../common/dto/link.dto';

/**
 * A volume target to create. Properties are declared in alphabetical order,
 * the order Ironic's JSON schema lists them in, so the first error reported
 * is the one Ironic reports.
 */
export class CreateTargetDto {
  /** Boot index of the volume; 0 is the boot volume. Unique per node. */
  @IsInt(m.type("'integer'"))
  @Min(INT32_MIN, m.minimum(INT32_MIN))
  @Max(INT32_MAX, m.maximum(INT32_MAX))
  @ApiProperty({ example: 0 })
  boot_index: number;

  /** Free-form metadata. */
  @IsOptional()
  @IsObject(m.type("'object', 'null'"))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: {} })
  extra?: Record<string, unknown> | null;

  /** UUID of the node the target belongs to. */
  @IsString(m.type("'string'"))
  @IsUuidLike()
  @ApiProperty({ format: 'uuid', example: '6d85703a-565d-469a-96ce-30b6de53079d' })
  node_uuid: string;

  /** How to reach the volume (e.g. target_iqn, target_portal, target_lun, auth data). */
  @IsOptional()
  @IsObject(m.type("'object', 'null'"))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: {} })
  properties?: Record<string, unknown> | null;

  /** UUID of the new target; generated when absent. */
  @IsOptional()
  @IsString(m.type("'string', 'null'"))
  @IsUuidLike()
  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  uuid?: string | null;

  /** Identifier of the volume in the storage service (e.g. a Cinder volume ID). */
  @IsString(m.type("'string'"))
  @MaxLength(36, m.tooLong())
  @ApiProperty({ example: '04452bed-5367-4202-8bf5-de4335ac56d2' })
  volume_id: string;

  /** Type of volume: iscsi, fibre_channel, ... (not checked, as in Ironic). */
  @IsString(m.type("'string'"))
  @MaxLength(64, m.tooLong())
  @ApiProperty({ example: 'iscsi' })
  volume_type: string;
}

/** A volume target; list views hold only the fields asked for, and always links. */
export class TargetDto {
  @ApiPropertyOptional({ format: 'uuid', example: 'bd4d008c-7d31-463d-abf9-6c23d9d55f7f' })
  uuid?: string;
  @ApiPropertyOptional({ example: '2016-08-18T22:28:48.643434+00:00' })
  created_at?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  updated_at?: string | null;
  @ApiPropertyOptional({ example: 0 })
  boot_index?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  extra?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  properties?: Record<string, unknown>;
  @ApiPropertyOptional({ example: '04452bed-5367-4202-8bf5-de4335ac56d2' })
  volume_id?: string;
  @ApiPropertyOptional({ example: 'iscsi' })
  volume_type?: string;
  @ApiProperty({ type: [LinkDto] })
  links: LinkDto[];
  @ApiPropertyOptional({ format: 'uuid', example: '6d85703a-565d-469a-96ce-30b6de53079d' })
  node_uuid?: string;
}

export class TargetCollectionDto {
  @ApiProperty({ type: [TargetDto] })
  targets: TargetDto[];
  /** URL of the next page; present when this page is full. */
  next?: string;
}

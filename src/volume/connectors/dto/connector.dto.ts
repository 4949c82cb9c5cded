import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsUuidLike, MaxJsonSize } from '../../../common/validation/decorators';
import { schemaMessage as m } from '../../../common/validation/schema';
import { LinkDto } from '../../../common/dto/link.dto';

/**
 * A volume connector to create. Properties are declared in alphabetical
 * order, the order Ironic's JSON schema lists them in, so the first error
 * reported is the one Ironic reports.
 */
export class CreateConnectorDto {
  /** Identifier of the initiator: an IQN, IP address, MAC address, WWNN or WWPN. */
  @IsString(m.type("'string'"))
  @MaxLength(255, m.tooLong())
  @ApiProperty({ example: 'iqn.2017-05.org.openstack:01d5a8a7dd87' })
  connector_id: string;

  /** Free-form metadata. */
  @IsOptional()
  @IsObject(m.type("'object', 'null'"))
  @MaxJsonSize()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: {} })
  extra?: Record<string, unknown> | null;

  /** UUID of the node the connector belongs to. */
  @IsString(m.type("'string'"))
  @IsUuidLike()
  @ApiProperty({ format: 'uuid', example: '6d85703a-565d-469a-96ce-30b6de53079d' })
  node_uuid: string;

  /** Type of connector: iqn, ip, mac, wwnn, wwpn, port or portgroup (not checked, as in Ironic). */
  @IsString(m.type("'string'"))
  @MaxLength(32, m.tooLong())
  @ApiProperty({ example: 'iqn' })
  type: string;

  /** UUID of the new connector; generated when absent. */
  @IsOptional()
  @IsString(m.type("'string', 'null'"))
  @IsUuidLike()
  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  uuid?: string | null;
}

/** A volume connector; list views hold only the fields asked for, and always links. */
export class ConnectorDto {
  @ApiPropertyOptional({ format: 'uuid', example: '9bf93e01-d728-47a3-ad4b-5e66a835037c' })
  uuid?: string;
  @ApiPropertyOptional({ example: '2016-08-18T22:28:48.643434+00:00' })
  created_at?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  updated_at?: string | null;
  @ApiPropertyOptional({ example: 'iqn.2017-05.org.openstack:01d5a8a7dd87' })
  connector_id?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  extra?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'iqn' })
  type?: string;
  @ApiProperty({ type: [LinkDto] })
  links: LinkDto[];
  @ApiPropertyOptional({ format: 'uuid', example: '6d85703a-565d-469a-96ce-30b6de53079d' })
  node_uuid?: string;
}

export class ConnectorCollectionDto {
  @ApiProperty({ type: [ConnectorDto] })
  connectors: ConnectorDto[];
  /** URL of the next page; present when this page is full. */
  next?: string;
}

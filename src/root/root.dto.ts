import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LinkDto } from '../common/dto/link.dto';

export class VersionLinkDto {
  href: string;
  rel: string;
  @ApiPropertyOptional()
  type?: string;
}

/** One API version and its microversion range. */
export class ApiVersionDto {
  @ApiProperty({ example: 'v1' })
  id: string;
  @ApiProperty({ type: [VersionLinkDto] })
  links: VersionLinkDto[];
  @ApiProperty({ example: 'CURRENT' })
  status: string;
  @ApiProperty({ example: '1.1' })
  min_version: string;
  @ApiProperty({ example: '1.82' })
  version: string;
}

export class ApiRootDto {
  name: string;
  description: string;
  default_version: ApiVersionDto;
  @ApiProperty({ type: [ApiVersionDto] })
  versions: ApiVersionDto[];
}

export class MediaTypesDto {
  base: string;
  type: string;
}

export class V1RootDto {
  id: string;
  @ApiProperty({ type: [VersionLinkDto] })
  links: VersionLinkDto[];
  media_types: MediaTypesDto;
  @ApiProperty({ type: [LinkDto] })
  nodes: LinkDto[];
  @ApiPropertyOptional({ type: [LinkDto], description: 'From API 1.32.' })
  volume?: LinkDto[];
  version: ApiVersionDto;
}

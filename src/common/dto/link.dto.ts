import { ApiProperty } from '@nestjs/swagger';

/** A link to a resource: `self` under /v1, `bookmark` without the version. */
export class LinkDto {
  @ApiProperty({ example: 'http://127.0.0.1:6385/v1/volume/connectors' })
  href: string;
  @ApiProperty({ enum: ['self', 'bookmark'] })
  rel: string;
}

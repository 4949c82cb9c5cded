import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One RFC 6902 operation; Ironic accepts add, replace and remove. */
export class PatchOperationDto {
  @ApiProperty({ enum: ['add', 'replace', 'remove'], example: 'replace' })
  op: string;

  @ApiProperty({ example: '/extra/foo', pattern: '^(/[\\w-]+)+$' })
  path: string;

  @ApiPropertyOptional({ description: 'The new value (add and replace).', example: 'bar' })
  value?: unknown;
}

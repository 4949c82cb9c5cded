import { ApiProperty } from '@nestjs/swagger';
import { LinkDto } from '../../common/dto/link.dto';

/** Links to the volume resources. */
export class VolumeRootDto {
  @ApiProperty({ type: [LinkDto] })
  links: LinkDto[];
  @ApiProperty({ type: [LinkDto] })
  connectors: LinkDto[];
  @ApiProperty({ type: [LinkDto] })
  targets: LinkDto[];
}

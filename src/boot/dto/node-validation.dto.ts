import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One interface's verdict. */
export class InterfaceResultDto {
  /** true when the interface can act on the node, false when it cannot (see reason), null when the hardware type has no such interface. */
  @ApiProperty({ type: Boolean, nullable: true })
  result: boolean | null;

  /** Why not, naming the record and field at fault. */
  reason?: string;
}

/** Each hardware interface's check of a node. */
export class NodeValidationDto {
  boot: InterfaceResultDto;
  deploy: InterfaceResultDto;
  management: InterfaceResultDto;
  network: InterfaceResultDto;
  power: InterfaceResultDto;
  @ApiPropertyOptional({ type: InterfaceResultDto })
  bios?: InterfaceResultDto;
  @ApiPropertyOptional({ type: InterfaceResultDto })
  console?: InterfaceResultDto;
  @ApiPropertyOptional({ type: InterfaceResultDto })
  inspect?: InterfaceResultDto;
  @ApiPropertyOptional({ type: InterfaceResultDto })
  raid?: InterfaceResultDto;
  @ApiPropertyOptional({ type: InterfaceResultDto })
  rescue?: InterfaceResultDto;
  storage: InterfaceResultDto;
}

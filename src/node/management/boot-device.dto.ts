import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const DEVICES = ['pxe', 'disk', 'cdrom', 'bios', 'safe'];

/** The device a node boots from next. */
export class BootDeviceDto {
  /** Null where the BMC does not say (no override set). */
  @ApiProperty({ type: String, nullable: true, enum: DEVICES, example: 'pxe' })
  boot_device: string | null;

  /** Whether it holds for every boot or the next one only; null where the BMC does not say. */
  @ApiProperty({ type: Boolean, nullable: true })
  persistent: boolean | null;
}

/** The devices a node's driver can set. */
export class SupportedBootDevicesDto {
  @ApiProperty({ type: [String], example: ['pxe', 'disk', 'cdrom', 'bios', 'safe'] })
  supported_boot_devices: string[];
}

/** A boot device to set. */
export class SetBootDeviceDto {
  /** One of the node's supported boot devices (fake-hardware: pxe; ipmi: pxe, disk, cdrom, bios, safe). */
  @ApiProperty({ type: String, example: 'pxe' })
  boot_device: string;

  /** Every boot (true) or the next one only (false, the default); oslo's boolean strings are taken too. */
  @ApiPropertyOptional({ type: Boolean, default: false })
  persistent?: boolean;
}

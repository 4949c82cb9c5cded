import { All, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBody, ApiExcludeEndpoint, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Policy } from '../../auth/policy.guard';
import { MethodNotAllowed } from '../../common/errors/ironic-errors';
import { Args } from '../../common/http/args.decorator';
import { View, ViewContext } from '../../common/http/view-context';
import { ApiErrors, ApiOp } from '../../common/openapi/api-docs.decorators';
import { BootDeviceArgs, bootDeviceArgs, nodeManagementArgs } from '../node-args';
import { BootDeviceDto, SetBootDeviceDto, SupportedBootDevicesDto } from './boot-device.dto';
import { BootDevices } from './boot-device.service';

const NODE_IDENT = ApiParam({ name: 'node_ident', description: 'UUID or name of the node.', schema: { type: 'string' } });

@ApiTags('nodes')
@Controller('v1/nodes/:node_ident/management')
export class BootDeviceController {
  constructor(private readonly bootDevices: BootDevices) {}

  @Get('boot_device')
  @Policy('baremetal:node:get_boot_device')
  @NODE_IDENT
  @ApiOp('getNodeBootDevice', 'Show the boot device', 'The device the machine boots from next, as its BMC reports it (fake-hardware: pxe, not persistent).')
  @ApiOkResponse({ type: BootDeviceDto })
  @ApiErrors(400, 404, 409)
  show(@Args(nodeManagementArgs) args: { ident: string }, @View() view: ViewContext) {
    return this.bootDevices.show(args.ident, view.caller);
  }

  @Get('boot_device/supported')
  @Policy('baremetal:node:get_boot_device')
  @NODE_IDENT
  @ApiOp('getNodeSupportedBootDevices', 'List the supported boot devices', "The boot devices the node's driver can set.")
  @ApiOkResponse({ type: SupportedBootDevicesDto })
  @ApiErrors(400, 404)
  supported(@Args(nodeManagementArgs) args: { ident: string }, @View() view: ViewContext) {
    return this.bootDevices.supported(args.ident, view.caller);
  }

  @Put('boot_device')
  @Policy('baremetal:node:set_boot_device')
  @HttpCode(204)
  @NODE_IDENT
  @ApiOp('setNodeBootDevice', 'Set the boot device', 'Sets the device the machine boots from next (persistent: every boot), through its BMC; answers once the BMC has taken it. The arguments may also come in the query string.')
  @ApiBody({ type: SetBootDeviceDto })
  @ApiNoContentResponse({ description: 'Set.' })
  @ApiErrors(400, 404, 409, 413)
  async set(@Args(bootDeviceArgs) args: BootDeviceArgs, @View() view: ViewContext): Promise<void> {
    await this.bootDevices.set(args, view.caller);
  }

  /** Ironic's router also takes the arguments as path segments (a PUT to .../supported names "supported" as the device). */
  @Put('boot_device/:boot_device')
  @Policy('baremetal:node:set_boot_device')
  @HttpCode(204)
  @NODE_IDENT
  @ApiParam({ name: 'boot_device', description: 'The device, as in the body.', schema: { type: 'string' } })
  @ApiOp('setNodeBootDeviceInPath', 'Set the boot device named in the path', 'As setNodeBootDevice, the device in the path (persistent in the body or query); naming it twice is a 400.')
  @ApiNoContentResponse({ description: 'Set.' })
  @ApiErrors(400, 404, 409, 413)
  async setInPath(@Args(bootDeviceArgs) args: BootDeviceArgs, @View() view: ViewContext): Promise<void> {
    await this.bootDevices.set(args, view.caller);
  }

  @Put('boot_device/:boot_device/:persistent')
  @Policy('baremetal:node:set_boot_device')
  @HttpCode(204)
  @NODE_IDENT
  @ApiParam({ name: 'boot_device', description: 'The device, as in the body.', schema: { type: 'string' } })
  @ApiParam({ name: 'persistent', description: 'Every boot or the next only, as in the body.', schema: { type: 'string' } })
  @ApiOp('setNodeBootDeviceAndPersistenceInPath', 'Set the boot device and its persistence named in the path', 'As setNodeBootDevice, both arguments in the path.')
  @ApiNoContentResponse({ description: 'Set.' })
  @ApiErrors(400, 404, 409, 413)
  async setAllInPath(@Args(bootDeviceArgs) args: BootDeviceArgs, @View() view: ViewContext): Promise<void> {
    await this.bootDevices.set(args, view.caller);
  }

  /**
   * Other methods, and the management root, answered as Ironic answers them
   * (with an empty Allow); a PUT to .../supported names "supported" as the device.
   */
  @All(['', 'boot_device', 'boot_device/supported'])
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed([]);
  }
}

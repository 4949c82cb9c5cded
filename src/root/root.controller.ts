import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { links } from '../common/http/links';
import { View, ViewContext } from '../common/http/view-context';
import { atLeast, MAX_VERSION_STRING, MIN_VERSION_STRING, MINOR_32_VOLUME } from '../common/microversion/microversion';
import { ApiErrors, ApiOp } from '../common/openapi/api-docs.decorators';
import { ApiRootDto, V1RootDto } from './root.dto';

const version = (base: string) => ({
  id: 'v1',
  links: [{ href: `${base}/v1/`, rel: 'self' }],
  status: 'CURRENT',
  min_version: MIN_VERSION_STRING,
  version: MAX_VERSION_STRING,
});

@ApiTags('root')
@Controller()
export class RootController {
  @Get()
  @ApiOperation({ operationId: 'listApiVersions', summary: 'List API versions', description: 'The API versions this service offers, with the range of v1 microversions.' })
  @ApiOkResponse({ type: ApiRootDto })
  root(@View() view: ViewContext) {
    return {
      name: 'OpenStack Ironic API',
      description:
        'Ironic is an OpenStack project which enables the provision and management of baremetal machines.',
      default_version: version(view.base),
      versions: [version(view.base)],
    };
  }

  @Get('v1')
  @ApiOp('showApiV1', 'Show API v1', 'Describes v1: its media types, version range and links to its resources (volume from 1.32).')
  @ApiOkResponse({ type: V1RootDto })
  @ApiErrors()
  v1(@View() view: ViewContext) {
    return {
      id: 'v1',
      links: [
        { href: `${view.base}/v1/`, rel: 'self' },
        { href: 'https://docs.openstack.org//ironic/latest/contributor//webapi.html', rel: 'describedby', type: 'text/html' },
      ],
      media_types: { base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' },
      nodes: links(view.base, 'nodes/'),
      ...(atLeast(view.minor, MINOR_32_VOLUME) ? { volume: links(view.base, 'volume/') } : {}),
      version: version(view.base),
    };
  }
}

import { All, Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { links } from '../common/http/links';
import { View, ViewContext } from '../common/http/view-context';
import { MinVersion } from '../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../common/microversion/microversion';
import { ApiErrors, ApiListQuery, ApiOp } from '../common/openapi/api-docs.decorators';
import { parseListQuery } from '../common/collection/list-query';
import { MethodNotAllowed, OperationNotPermitted } from '../common/errors/ironic-errors';
import { NodeService } from '../node/node.service';
import { CONNECTOR_KIND, ConnectorService } from './connectors/connector.service';
import { TARGET_KIND, TargetService } from './targets/target.service';
import { ConnectorCollectionDto } from './connectors/dto/connector.dto';
import { TargetCollectionDto } from './targets/dto/target.dto';
import { VolumeRootDto } from './dto/volume.dto';
import { validateSchema } from '../common/validation/schema';
import { CreateConnectorDto } from './connectors/dto/connector.dto';
import { CreateTargetDto } from './targets/dto/target.dto';
import { Policy } from '../auth/policy.guard';

const volumeLinks = (base: string, path: string) => ({
  links: links(base, `${path}/`),
  connectors: links(base, `${path}/connectors`),
  targets: links(base, `${path}/targets`),
});

@ApiTags('volume')
@Controller('v1/volume')
@MinVersion(MINOR_32_VOLUME)
export class VolumeController {
  @Get()
  @Policy('baremetal:volume:get')
  @ApiOp('listVolumeResources', 'List Links of Volume Resources', 'Return a list of links to all volume resources.')
  @ApiOkResponse({ type: VolumeRootDto })
  @ApiErrors(404)
  root(@View() view: ViewContext) {
    return volumeLinks(view.base, 'volume');
  }

  @All()
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['GET']);
  }
}

const NODE_IDENT = ApiParam({ name: 'node_ident', description: 'UUID or name of the node.' });

/**
 * /v1/nodes/{node}/volume…: a node's volume resources, read-only as in
 * Ironic (which answers 403 to anything else below these paths).
 */
@ApiTags('volume')
@Controller('v1/nodes/:node_ident/volume')
@MinVersion(MINOR_32_VOLUME)
export class NodeVolumeController {
  constructor(
    private readonly nodes: NodeService,
    private readonly connectors: ConnectorService,
    private readonly targets: TargetService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Policy('baremetal:volume:get')
  @NODE_IDENT
  @ApiOp('listNodeVolumeResources', "List Links of a Node's Volume Resources", 'Return links to the volume connectors and targets of the node.')
  @ApiOkResponse({ type: VolumeRootDto })
  @ApiErrors(400, 404)
  async root(@Param('node_ident') ident: string, @View() view: ViewContext) {
    await this.nodes.findRef(ident, view.caller);
    return volumeLinks(view.base, `nodes/${ident}/volume`);
  }

  @Get('connectors')
  @Policy('baremetal:volume:get')
  @NODE_IDENT
  @ApiOp('listNodeVolumeConnectors', "List a Node's Volume Connectors", 'Return the volume connectors of the node (by UUID or name).')
  @ApiListQuery({ sortKeys: CONNECTOR_KIND.collection.sortable })
  @ApiOkResponse({ type: ConnectorCollectionDto })
  @ApiErrors(400, 404)
  listConnectors(@Param('node_ident') ident: string, @Query() query: Record<string, unknown>, @View() view: ViewContext) {
    return this.connectors.listForNode(ident, parseListQuery(query, CONNECTOR_KIND.collection, this.config.maxLimit), view);
  }

  @Get('targets')
  @Policy('baremetal:volume:get')
  @NODE_IDENT
  @ApiOp('listNodeVolumeTargets', "List a Node's Volume Targets", 'Return the volume targets of the node (by UUID or name).')
  @ApiListQuery({ sortKeys: TARGET_KIND.collection.sortable })
  @ApiOkResponse({ type: TargetCollectionDto })
  @ApiErrors(400, 404)
  listTargets(@Param('node_ident') ident: string, @Query() query: Record<string, unknown>, @View() view: ViewContext) {
    return this.targets.listForNode(ident, parseListQuery(query, TARGET_KIND.collection, this.config.maxLimit), view);
  }

  @All()
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['GET']);
  }

  /**
   * Ironic refuses creating, showing, changing or deleting items through the
   * node's paths (403), after it has checked what it checks first: the body
   * of a POST, the item of a show, change or deletion.
   */
  @Post('connectors')
  @ApiExcludeEndpoint()
  refuseConnectorCreate(@Body() body: unknown): never {
    validateSchema(CreateConnectorDto, body, 'connector');
    throw OperationNotPermitted();
  }

  @Post('targets')
  @ApiExcludeEndpoint()
  refuseTargetCreate(@Body() body: unknown): never {
    validateSchema(CreateTargetDto, body, 'target');
    throw OperationNotPermitted();
  }

  @All(['connectors', 'targets'])
  @ApiExcludeEndpoint()
  refuseCollection(): never {
    throw OperationNotPermitted();
  }

  @All('connectors/:uuid')
  @ApiExcludeEndpoint()
  async refuseConnector(@Param('uuid') uuid: string, @View() view: ViewContext): Promise<never> {
    await this.connectors.find(uuid, view.caller);
    throw OperationNotPermitted();
  }

  @All('targets/:uuid')
  @ApiExcludeEndpoint()
  async refuseTarget(@Param('uuid') uuid: string, @View() view: ViewContext): Promise<never> {
    await this.targets.find(uuid, view.caller);
    throw OperationNotPermitted();
  }
}

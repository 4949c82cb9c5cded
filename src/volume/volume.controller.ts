import { All, Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { assertExpectedArgs } from '../common/collection/query-args';
import { invalid, InvalidInputForField, MethodNotAllowed, MissingParameter, OperationNotPermitted } from '../common/errors/ironic-errors';
import { links } from '../common/http/links';
import { View, ViewContext } from '../common/http/view-context';
import { validatePatchDocument } from '../common/json-patch/json-patch';
import { MinVersion } from '../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../common/microversion/microversion';
import { ApiErrors, ApiListQuery, ApiOp } from '../common/openapi/api-docs.decorators';
import { pyRepr } from '../common/validation/py-repr';
import { validateSchema } from '../common/validation/schema';
import { canonicalUuid } from '../common/validation/uuid';
import { NodeService } from '../node/node.service';
import { Policy } from '../auth/policy.guard';
import { CONNECTOR_KIND, ConnectorService } from './connectors/connector.service';
import { ConnectorCollectionDto } from './connectors/dto/connector.dto';
import { TARGET_KIND, TargetService } from './targets/target.service';
import { TargetCollectionDto } from './targets/dto/target.dto';
import { VolumeRootDto } from './dto/volume.dto';

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

const NODE_IDENT = ApiParam({ name: 'node_ident', description: 'UUID or name of the node.', schema: { type: 'string' } });

/**
 * /v1/nodes/{node}/volume…: a node's volume resources, read-only as in
 * Ironic (which answers 403 to anything else below these paths).
 */
@ApiTags('volume')
@Controller('v1/nodes/:node_ident/volume')
@MinVersion(MINOR_32_VOLUME)
export class NodeVolumeController {
  constructor(
    private readonly connectors: ConnectorService,
    private readonly targets: TargetService,
    private readonly nodes: NodeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Policy('baremetal:volume:get')
  @NODE_IDENT
  @ApiOp('listNodeVolumeResources', "List Links of a Node's Volume Resources", 'Return links to the volume connectors and targets of the node.')
  @ApiOkResponse({ type: VolumeRootDto })
  @ApiErrors(400, 404)
  root(@Param('node_ident') ident: string, @Query() query: Record<string, unknown>, @View() view: ViewContext) {
    // As in Ironic, the links are answered without looking the node up.
    assertExpectedArgs(query, []);
    return volumeLinks(view.base, `nodes/${ident}/volume`);
  }

  @Get('connectors')
  @Policy('baremetal:volume:list')
  @NODE_IDENT
  @ApiOp('listNodeVolumeConnectors', "List a Node's Volume Connectors", 'Return the volume connectors of the node (by UUID or name).')
  @ApiListQuery({ sortKeys: CONNECTOR_KIND.collection.sortable })
  @ApiOkResponse({ type: ConnectorCollectionDto })
  @ApiErrors(400, 404)
  listConnectors(@Param('node_ident') ident: string, @Query() query: Record<string, unknown>, @View() view: ViewContext) {
    return this.connectors.listForNode(ident, query, this.config.maxLimit, view);
  }

  @Get('targets')
  @Policy('baremetal:volume:list')
  @NODE_IDENT
  @ApiOp('listNodeVolumeTargets', "List a Node's Volume Targets", 'Return the volume targets of the node (by UUID or name).')
  @ApiListQuery({ sortKeys: TARGET_KIND.collection.sortable })
  @ApiOkResponse({ type: TargetCollectionDto })
  @ApiErrors(400, 404)
  listTargets(@Param('node_ident') ident: string, @Query() query: Record<string, unknown>, @View() view: ViewContext) {
    return this.targets.listForNode(ident, query, this.config.maxLimit, view);
  }

  @All()
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['GET']);
  }

  /**
   * Ironic refuses creating, showing, changing or deleting items through the
   * node's paths (403), after it has checked what it checks first: the body
   * of a POST (a POST to an item hands the UUID over as the body), the patch
   * document and the item of a PATCH, the item of a show or deletion; DELETE
   * and PATCH of the collection miss the item's UUID.
   */
  @Post(['connectors', 'targets'])
  @ApiExcludeEndpoint()
  async refuseCreate(@Body() body: unknown, @Req() request: Request): Promise<never> {
    const { kind } = this.resourceOf(request);
    const { node_uuid: nodeUuid } = validateSchema(kind.dto, body, kind.schemaName) as { node_uuid: string };
    // Ironic looks the body's node up before it refuses: a missing one is an invalid input.
    const uuid = canonicalUuid(nodeUuid);
    if (!uuid || !(await this.nodes.findRefByUuid(uuid))) throw InvalidInputForField('node_uuid', nodeUuid);
    throw OperationNotPermitted();
  }

  @Post(['connectors/:uuid', 'targets/:uuid'])
  @ApiExcludeEndpoint()
  refusePostToItem(@Param('uuid') uuid: string, @Req() request: Request): never {
    throw invalid(`Schema error for ${this.resourceOf(request).kind.schemaName}: ${pyRepr(uuid)} is not of type 'object'`);
  }

  @Delete(['connectors', 'targets'])
  @ApiExcludeEndpoint()
  refuseCollectionDelete(@Req() request: Request): never {
    throw MissingParameter(this.resourceOf(request).kind.uuidParam);
  }

  @Patch(['connectors', 'targets'])
  @ApiExcludeEndpoint()
  refuseCollectionPatch(@Req() request: Request): never {
    throw MissingParameter(this.resourceOf(request).kind.uuidParam);
  }

  @All(['connectors', 'targets'])
  @ApiExcludeEndpoint()
  refuseCollection(): never {
    throw OperationNotPermitted();
  }

  @All(['connectors/:uuid', 'targets/:uuid'])
  @ApiExcludeEndpoint()
  async refuseItem(@Param('uuid') uuid: string, @Req() request: Request, @View() view: ViewContext): Promise<never> {
    if (request.method === 'PATCH') validatePatchDocument(request.body);
    await this.resourceOf(request).service.find(uuid, view.caller);
    throw OperationNotPermitted();
  }

  /** The resource a path below /v1/nodes/{node}/volume names. */
  private resourceOf(request: Request) {
    return request.path.includes('/volume/connectors')
      ? { kind: CONNECTOR_KIND, service: this.connectors as ConnectorService | TargetService }
      : { kind: TARGET_KIND, service: this.targets };
  }
}

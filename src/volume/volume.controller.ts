import { All, Controller, Get } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { assertExpectedArgs } from '../common/collection/query-args';
import { MethodNotAllowed } from '../common/errors/ironic-errors';
import { Args, ArgsParser } from '../common/http/args.decorator';
import { links } from '../common/http/links';
import { View, ViewContext } from '../common/http/view-context';
import { MinVersion } from '../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../common/microversion/microversion';
import { ApiErrors, ApiListQuery, ApiOp } from '../common/openapi/api-docs.decorators';
import { Policy } from '../auth/policy.guard';
import { ConnectorService } from './connectors/connector.service';
import { CONNECTOR_KIND } from './connectors/connector.kind';
import { ConnectorCollectionDto } from './connectors/dto/connector.dto';
import { TargetService } from './targets/target.service';
import { TARGET_KIND } from './targets/target.kind';
import { TargetCollectionDto } from './targets/dto/target.dto';
import { VolumeRootDto } from './dto/volume.dto';
import { nodeVolumeListArgs, NodeVolumeListArgs } from './shared/volume-list-query';

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

/** The node's volume root takes no query arguments. */
const nodeVolumeRootArgs: ArgsParser<string> = ({ params, query }) => {
  assertExpectedArgs(query, []);
  return params.node_ident;
};

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
  ) {}

  @Get()
  @Policy('baremetal:volume:get')
  @NODE_IDENT
  @ApiOp('listNodeVolumeResources', "List Links of a Node's Volume Resources", 'Return links to the volume connectors and targets of the node.')
  @ApiOkResponse({ type: VolumeRootDto })
  @ApiErrors(400, 404)
  root(@Args(nodeVolumeRootArgs) ident: string, @View() view: ViewContext) {
    // As in Ironic, the links are answered without looking the node up.
    return volumeLinks(view.base, `nodes/${ident}/volume`);
  }

  @Get('connectors')
  @Policy('baremetal:volume:list')
  @NODE_IDENT
  @ApiOp('listNodeVolumeConnectors', "List a Node's Volume Connectors", 'Return the volume connectors of the node (by UUID or name).')
  @ApiListQuery({ sortKeys: CONNECTOR_KIND.collection.sortable })
  @ApiOkResponse({ type: ConnectorCollectionDto })
  @ApiErrors(400, 404)
  listConnectors(@Args(nodeVolumeListArgs) args: NodeVolumeListArgs, @View() view: ViewContext) {
    return this.connectors.listForNode(args, view);
  }

  @Get('targets')
  @Policy('baremetal:volume:list')
  @NODE_IDENT
  @ApiOp('listNodeVolumeTargets', "List a Node's Volume Targets", 'Return the volume targets of the node (by UUID or name).')
  @ApiListQuery({ sortKeys: TARGET_KIND.collection.sortable })
  @ApiOkResponse({ type: TargetCollectionDto })
  @ApiErrors(400, 404)
  listTargets(@Args(nodeVolumeListArgs) args: NodeVolumeListArgs, @View() view: ViewContext) {
    return this.targets.listForNode(args, view);
  }

  @All()
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['GET']);
  }
}

import { All, Body, Controller, Delete, Inject, Param, Patch, Post, Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { invalid, InvalidInputForField, MissingParameter, OperationNotPermitted } from '../../common/errors/ironic-errors';
import { View, ViewContext } from '../../common/http/view-context';
import { validatePatchDocument } from '../../common/json-patch/json-patch';
import { MinVersion } from '../../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../../common/microversion/microversion';
import { pyRepr } from '../../common/validation/py-repr';
import { validateSchema } from '../../common/validation/schema';
import { canonicalUuid } from '../../common/validation/uuid';
import { NodeService } from '../../node/node.service';
import type { VolumeKind } from './volume-kind';
import type { VolumeResourceService } from './volume-resource.service';

/**
 * /v1/nodes/{node}/volume/connectors|targets, but for the lists: Ironic
 * refuses creating, showing, changing or deleting items through the node's
 * paths (403), after it has checked what it checks first: the body of a
 * POST (a POST to an item hands the UUID over as the body), the patch
 * document and the item of a PATCH, the item of a show or deletion; DELETE
 * and PATCH of the collection miss the item's UUID. The lists themselves
 * are NodeVolumeController's, which is registered first.
 */
export function NodeVolumeRefusals<Data>(kind: VolumeKind<Data>, service: Type<VolumeResourceService<Data>>) {
  @ApiExcludeController()
  @Controller(`v1/nodes/:node_ident/${kind.path}`)
  @MinVersion(MINOR_32_VOLUME)
  class NodeVolumeRefusalsController {
    constructor(
      @Inject(service) readonly resources: VolumeResourceService<Data>,
      readonly nodes: NodeService,
    ) {}

    @Post()
    async refuseCreate(@Body() body: unknown): Promise<never> {
      const { node_uuid: nodeUuid } = validateSchema(kind.dto, body, kind.schemaName) as { node_uuid: string };
      // Ironic looks the body's node up before it refuses: a missing one is an invalid input.
      const uuid = canonicalUuid(nodeUuid);
      if (!uuid || !(await this.nodes.findRefByUuid(uuid))) throw InvalidInputForField('node_uuid', nodeUuid);
      throw OperationNotPermitted();
    }

    @Post(':uuid')
    refusePostToItem(@Param('uuid') uuid: string): never {
      throw invalid(`Schema error for ${kind.schemaName}: ${pyRepr(uuid)} is not of type 'object'`);
    }

    @Delete()
    refuseCollectionDelete(): never {
      throw MissingParameter(kind.uuidParam);
    }

    @Patch()
    refuseCollectionPatch(): never {
      throw MissingParameter(kind.uuidParam);
    }

    @All()
    refuseCollection(): never {
      throw OperationNotPermitted();
    }

    @Patch(':uuid')
    async refusePatch(@Param('uuid') uuid: string, @Body() body: unknown, @View() view: ViewContext): Promise<never> {
      validatePatchDocument(body);
      return this.refuseItem(uuid, view);
    }

    @All(':uuid')
    async refuseItem(@Param('uuid') uuid: string, @View() view: ViewContext): Promise<never> {
      await this.resources.find(uuid, view.caller);
      throw OperationNotPermitted();
    }
  }
  return NodeVolumeRefusalsController;
}

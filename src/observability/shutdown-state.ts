import { Injectable } from '@nestjs/common';

/** Set once SIGTERM arrives: /readyz turns false so load balancers stop sending requests. */
@Injectable()
export class ShutdownState {
  draining = false;
}

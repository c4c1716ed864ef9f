import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

/**
 * Says in the log when a shutdown starts and when it is over, so an operator watching a deploy
 * can tell a clean stop (requests in flight finished, the sandbox and Redis closed) from a kill.
 */
@Injectable()
export class ShutdownLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'Shutting down: no new connections, finishing requests in flight', signal });
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'Stopped', signal });
  }
}

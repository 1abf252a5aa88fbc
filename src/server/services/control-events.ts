import { EventEmitter } from 'node:events';
import type { ControlEvent } from '../../shared/studio/control.js';

/**
 * What the launchers holding runs must hear at once (a cancel, a run ended by someone
 * else), keyed by run id. In-process: the launcher's control stream is held by the server
 * that serves it, and heartbeats carry the same news for any other.
 */
export class ControlEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  on(runId: string, listener: (event: ControlEvent) => void): () => void {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }

  emit(runId: string, event: ControlEvent): void {
    this.emitter.emit(runId, event);
  }
}

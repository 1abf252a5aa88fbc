import { EventEmitter } from 'node:events';
import type { ControlEvent } from '../../shared/studio/control.js';
import type { RunEventBus } from '../events/run-event-bus.js';

/**
 * What the launchers holding runs must hear at once (a cancel, a run ended by someone
 * else), keyed by run id. A launcher's control stream is held by one replica; the news goes
 * through the run-event bus, so a Cancel clicked on any replica reaches it. Heartbeats carry
 * the same news as a safety net.
 */
export class ControlEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  constructor(private readonly bus: RunEventBus) {
    bus.subscribe((events) => {
      for (const stored of events) if (stored.type === 'control') this.emitter.emit(stored.runId, stored.control);
    });
  }

  on(runId: string, listener: (event: ControlEvent) => void): () => void {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }

  emit(runId: string, event: ControlEvent): void {
    this.bus.publishControl(runId, event);
  }
}

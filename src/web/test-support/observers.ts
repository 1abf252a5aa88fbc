/** Stand-ins for browser observers jsdom does not have; tests drive the ones they care about. */

/** Sizes never change in jsdom, so a resize observer has nothing to report. */
export class FakeResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

/**
 * Nothing scrolls into view by itself: an observed element is reported visible only when a
 * test calls `FakeIntersectionObserver.enterView(element)`.
 */
export class FakeIntersectionObserver {
  static readonly instances = new Set<FakeIntersectionObserver>();
  readonly root = null;
  readonly rootMargin = '0px';
  readonly thresholds = [0];
  private readonly targets = new Set<Element>();

  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.instances.add(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
    FakeIntersectionObserver.instances.delete(this);
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }

  /** Tells every observer watching `element` (or an ancestor of it) that it is now on screen. */
  static enterView(element: Element): void {
    for (const observer of [...FakeIntersectionObserver.instances]) {
      const target = [...observer.targets].find((t) => t === element || t.contains(element));
      if (!target) continue;
      const rect = target.getBoundingClientRect();
      const entry = { target, isIntersecting: true, intersectionRatio: 1, boundingClientRect: rect, intersectionRect: rect, rootBounds: null, time: performance.now() };
      observer.callback([entry], observer as unknown as IntersectionObserver);
    }
  }
}

/**
 * A live tail that stays silent until a test speaks: `FakeEventSource.instances` lists the
 * open streams (their URLs say what the app asked for) and `emit` delivers an event.
 */
export class FakeEventSource extends EventTarget {
  static readonly instances = new Set<FakeEventSource>();
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readyState = FakeEventSource.OPEN;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly withCredentials = false;

  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.add(this);
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
    FakeEventSource.instances.delete(this);
  }
  emit(type: string, data: unknown): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

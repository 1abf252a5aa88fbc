import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

/**
 * A server-sent event stream over plain HTTP, as a browser's EventSource reads it: events
 * with their ids, names and JSON data, in order; a bare `id:` block only moves `lastId`.
 */
export async function sseStream(url: string, headers: Record<string, string> = {}) {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(url, { agent: false, headers }, resolve).on('error', reject);
  });
  const events: SseEvent[] = [];
  let lastId: string | undefined;
  let buffered = '';
  let body = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    if (response.statusCode !== 200) {
      body += chunk;
      return;
    }
    buffered += chunk;
    for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      if (id !== undefined) lastId = id;
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data === undefined) continue;
      events.push({ id, event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', data: JSON.parse(data) as unknown });
    }
    wake();
  });
  response.on('close', () => {
    ended = true;
    wake();
  });
  const until = async (found: () => boolean) => {
    while (!found()) {
      if (ended) throw new Error(`The stream ended while waiting; it had: ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        const waiter = () => {
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    }
  };
  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    get lastId() {
      return lastId;
    },
    /** The response body of a stream that was refused (a JSON error). */
    async error(): Promise<Record<string, unknown>> {
      await until(() => false).catch(() => undefined);
      return JSON.parse(body) as Record<string, unknown>;
    },
    /** Resolves once the server has closed the stream. */
    async closed(): Promise<void> {
      await until(() => false).catch(() => undefined);
    },
    /** Waits until an event matching `match` arrived (the test's timeout catches one that never does). */
    async next(match: (event: SseEvent) => boolean): Promise<SseEvent> {
      let found: SseEvent | undefined;
      await until(() => (found = events.find(match)) !== undefined);
      return found!;
    },
    close: () => response.destroy(),
  };
}

export type SseStream = Awaited<ReturnType<typeof sseStream>>;

import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { ServerOptions } from '../options.js';
import { testServer, type Backend } from './backends.js';

/** Waits for the first item (already there or still to come) that `match` accepts. */
async function nextOf<T>(items: T[], emitter: EventEmitter, match: (item: T) => boolean, what: string, timeoutMs: number): Promise<T> {
  const found = items.find(match);
  if (found !== undefined) return found;
  const timeout = AbortSignal.timeout(timeoutMs);
  while (true) {
    try {
      const [item] = (await once(emitter, 'item', { signal: timeout })) as [T];
      if (match(item)) return item;
    } catch {
      throw new Error(`no ${what} within ${timeoutMs} ms (got ${items.length})`);
    }
  }
}

/** A real SMTP server on a free loopback port that keeps every message, parsed. */
export async function smtpReceiver() {
  const mails: ParsedMail[] = [];
  const emitter = new EventEmitter();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          emitter.emit('item', mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next: (match: (mail: ParsedMail) => boolean = () => true, timeoutMs = 10_000) => nextOf(mails, emitter, match, 'e-mail', timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, any>;
}

/**
 * A real HTTP receiver for webhooks on `port` (0: a free one). It can be closed and started
 * again on the same port (a receiver that is down for a while), and answer with any status.
 */
export async function webhookReceiver(port = 0) {
  const requests: ReceivedRequest[] = [];
  const emitter = new EventEmitter();
  let status = 204;
  let server: http.Server | null = null;
  let boundPort = port;
  async function start(): Promise<void> {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, any> = {};
        try {
          json = JSON.parse(body) as Record<string, any>;
        } catch {
          /* a body that is not JSON stays in `body` */
        }
        // Recorded only when answered with success: a failed answer is not a delivery.
        if (status >= 200 && status < 300) {
          requests.push({ headers: req.headers, body, json });
          emitter.emit('item', requests.at(-1));
        }
        res.writeHead(status).end();
      });
    });
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => server!.listen(boundPort, '127.0.0.1', resolve));
    boundPort = (server.address() as AddressInfo).port;
  }
  async function stop(): Promise<void> {
    const s = server;
    server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await start();
  return {
    get url() {
      return `http://127.0.0.1:${boundPort}/hook`;
    },
    requests,
    /** What the receiver answers from now on. */
    answer(code: number) {
      status = code;
    },
    next: (match: (r: ReceivedRequest) => boolean = () => true, timeoutMs = 10_000) => nextOf(requests, emitter, match, 'webhook', timeoutMs),
    start,
    stop,
  };
}

/**
 * A test server that sends notifications to receivers of its own: a real SMTP server (its
 * `--smtp-url`) and a webhook receiver; `close` stops all three.
 */
export async function notifyingServer(backend: Backend, options: Partial<ServerOptions> = {}) {
  const smtp = await smtpReceiver();
  const hook = await webhookReceiver();
  const server = await testServer(backend, undefined, { smtpUrl: smtp.url, mailFrom: 'Runstudio <studio@example.com>', ...options });
  return {
    server,
    smtp,
    hook,
    close: async () => {
      await server.close();
      await smtp.close();
      await hook.stop();
    },
  };
}

import pg from 'pg';

/**
 * One connection that LISTENs on a channel and calls `onNotify` for each notification, and
 * once after every (re)connect, since notifications sent while it was away are lost (the
 * caller reads what it missed from the table). A dropped connection is retried every second.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.onNotify());
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.onNotify();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch(() => this.lostBeforeConnect());
    }, 1000);
    this.retry.unref();
  }

  private lostBeforeConnect(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch(() => this.lostBeforeConnect());
    }, 1000);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';

/** A new webhook signing secret, in the Standard Webhooks form (`whsec_` + base64 of 32 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What made a try fail, in words an operator can act on (`connect ECONNREFUSED 127.0.0.1:9`). */
export function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) return `${error.message}: ${cause.message}`;
  return error.message;
}

/** E-mail through the operator's SMTP server (`--smtp-url`, `--mail-from`). */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    // nodemailer reads smtp://user:pass@host:port and smtps://… (and options in the query); a
    // server that does not answer fails the try after the send timeout instead of hanging it.
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  }

  /** Sends one message; `messageId` stays the same for every try of one delivery, so a mailbox drops a repeat. */
  async send(message: { to: string; subject: string; text: string; messageId: string; eventId: string }): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
      headers: { 'X-Runstudio-Event-Id': message.eventId },
    });
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * POSTs a JSON body signed as Standard Webhooks does (webhook-id, webhook-timestamp,
 * webhook-signature: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the rule's secret),
 * so any Standard Webhooks library verifies it. Redirects are not followed; only a 2xx counts.
 */
export async function postWebhook(url: string, secret: string, messageId: string, body: unknown, timeoutMs: number, now: Date): Promise<void> {
  const payload = JSON.stringify(body);
  const signature = new Webhook(secret).sign(messageId, now, payload);
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Runstudio-Webhook/1',
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: payload,
  });
  const text = await answerStart(response);
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`the receiver answered HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`);
  }
}

/** The first 200 characters of an answer, to say why a try failed; the rest is not read (a receiver may answer with gigabytes). */
async function answerStart(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 200) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A broken answer body says nothing more than its status.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 200);
}

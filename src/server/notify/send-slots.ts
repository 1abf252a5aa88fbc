import type { StoredRule } from '../store/notification-rules.store.js';

/** Where a rule sends: a webhook's host, or the SMTP server for every e-mail. */
export function destinationOf(rule: StoredRule): string {
  if (rule.channel.kind === 'email') return 'smtp';
  try {
    return `host:${new URL(rule.channel.url).host}`;
  } catch {
    return `url:${rule.channel.url}`;
  }
}

/**
 * The sends one replica has under way, counted in all, per rule and per destination: a
 * receiver that hangs (for one rule or many) holds a few slots until its tries time out,
 * never every slot, so every other rule's deliveries go on.
 */
export class SendSlots {
  private total = 0;
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly perRule: number,
    private readonly perDestination: number,
  ) {}

  get free(): number {
    return this.max - this.total;
  }

  /** Rules with no room now: the next claim need not look at their deliveries. */
  fullRules(): string[] {
    return [...this.byKey].filter(([key, n]) => key.startsWith('rule:') && n >= this.perRule).map(([key]) => key.slice(5));
  }

  /** Takes a slot for `rule` when the pool, the rule and its destination all have room. */
  take(rule: StoredRule): boolean {
    const keys = [`rule:${rule.id}`, `to:${destinationOf(rule)}`] as const;
    if (this.total >= this.max || this.count(keys[0]) >= this.perRule || this.count(keys[1]) >= this.perDestination) return false;
    this.total += 1;
    for (const key of keys) this.byKey.set(key, this.count(key) + 1);
    return true;
  }

  release(rule: StoredRule): void {
    this.total -= 1;
    for (const key of [`rule:${rule.id}`, `to:${destinationOf(rule)}`]) {
      const left = this.count(key) - 1;
      if (left > 0) this.byKey.set(key, left);
      else this.byKey.delete(key);
    }
  }

  private count(key: string): number {
    return this.byKey.get(key) ?? 0;
  }
}

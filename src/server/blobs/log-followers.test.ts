import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogAppendEvent } from '../../shared/studio/logs.js';
import { EVENT_BYTES } from './log-events.js';
import { LogStore } from './log-store.js';

const run = '0123456789abcdef0123456789abcdef';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-follow-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A response stand-in: records writes; while `full`, write() says the socket is not draining. */
class Sink extends EventEmitter {
  writes: Buffer[] = [];
  full = false;
  destroyed = false;
  write(chunk: Buffer | string): boolean {
    this.writes.push(Buffer.from(chunk));
    this.emit('written');
    return !this.full;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  events(): LogAppendEvent[] {
    return Buffer.concat(this.writes)
      .toString('utf8')
      .split('\n\n')
      .filter((e) => e.includes('event: append'))
      .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)) as LogAppendEvent);
  }
  text(): string {
    return this.events().map((e) => e.text).join('');
  }
  /** Resolves once `done()` holds, checked after each write. */
  until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        this.off('written', check);
        this.off('close', check);
        resolve();
      };
      this.on('written', check);
      this.on('close', check);
    });
  }
}

describe('log followers', () => {
  const logs = new LogStore(root);

  it('shares one hub and one watcher among the followers of a log, and closes it when the last leaves', async () => {
    await logs.append(run, 'shared.log', 0, Buffer.from('start\n'));
    const a = new Sink();
    const b = new Sink();
    const stopA = logs.follow(run, 'shared.log', 0, a, () => undefined);
    const stopB = logs.follow(run, 'shared.log', 6, b, () => undefined);
    expect(logs.followerHubs()).toEqual([{ file: path.join(root, 'logs', run, 'shared.log'), followers: 2, watching: true }]);
    await a.until(() => a.text() === 'start\n');
    await logs.append(run, 'shared.log', 6, Buffer.from('more\n'));
    await Promise.all([a.until(() => a.text() === 'start\nmore\n'), b.until(() => b.text() === 'more\n')]);
    expect(logs.openStreams).toBe(2);
    stopA();
    stopB();
    expect(logs.followerHubs()).toEqual([]);
    expect(logs.openStreams).toBe(0);
  });

  it('follows a log that does not exist yet, through its folder, and one written by another process', async () => {
    const sink = new Sink();
    const stop = logs.follow(run, 'later.log', 0, sink, () => undefined);
    expect(logs.followerHubs()[0]?.watching).toBe(true);
    // Written behind the store's back, as another replica would: only the watcher sees it.
    fs.appendFileSync(path.join(root, 'logs', run, 'later.log'), 'hello\n');
    await sink.until(() => sink.text() === 'hello\n');
    fs.appendFileSync(path.join(root, 'logs', run, 'later.log'), 'again\n');
    await sink.until(() => sink.text() === 'hello\nagain\n');
    stop();
  });

  it('holds a slow follower to one event in memory, then catches it up from disk after drain', async () => {
    const fast = new Sink();
    const slow = new Sink();
    slow.full = true;
    const stopFast = logs.follow(run, 'slow.log', 0, fast, () => undefined);
    const stopSlow = logs.follow(run, 'slow.log', 0, slow, () => undefined);
    let offset = 0;
    const line = Buffer.from(`${'é'.repeat(40)} — a line of text\n`);
    for (let i = 0; i < 40; i += 1) {
      offset = (await logs.append(run, 'slow.log', offset, Buffer.concat(Array.from({ length: 500 }, () => line)))).size;
      await fast.until(() => fast.events().at(-1)?.to === offset);
    }
    expect(slow.writes.length).toBe(1);
    expect(slow.writes[0]!.length).toBeLessThanOrEqual(EVENT_BYTES);
    slow.full = false;
    slow.emit('drain');
    await slow.until(() => slow.events().at(-1)?.to === offset);
    const whole = fs.readFileSync(path.join(root, 'logs', run, 'slow.log'), 'utf8');
    expect(slow.text()).toBe(whole);
    expect(fast.text()).toBe(whole);
    stopFast();
    stopSlow();
  });

  it('ends the stream whose read fails, and nothing else', async () => {
    await logs.append(run, 'broken.log', 0, Buffer.from('ok\n'));
    const sink = new Sink();
    const errors: unknown[] = [];
    const stop = logs.follow(run, 'broken.log', 0, sink, (error) => errors.push(error));
    await sink.until(() => sink.text() === 'ok\n');
    // The log turns into a folder: reading it fails (EISDIR).
    const file = path.join(root, 'logs', run, 'broken.log');
    fs.rmSync(file);
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'x'), 'x'.repeat(10_000));
    await sink.until(() => sink.destroyed);
    expect(errors.length).toBeGreaterThan(0);
    stop();
    expect((await logs.lines(run, 'shared.log', 0, 5)).lines).toEqual(['start', 'more']);
  });
});

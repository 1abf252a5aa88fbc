import { describe, expect, it } from 'vitest';
import { commandLine } from './launch-tags.js';

describe('the launch command line', () => {
  it('is shown as stored when it is already a line', () => {
    expect(commandLine('python train.py --lr 0.1')).toBe('python train.py --lr 0.1');
  });

  it('quotes, as a shell would need, the arguments of a JSON array', () => {
    expect(commandLine(JSON.stringify(['node', '-e', "console.log('hi there')", '--x=1']))).toBe(`node -e 'console.log('\\''hi there'\\'')' --x=1`);
  });

  it('keeps a line that only looks like JSON', () => {
    expect(commandLine('[ -f x ] && echo y')).toBe('[ -f x ] && echo y');
  });
});

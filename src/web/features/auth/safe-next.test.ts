import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.js';

describe('safeNext', () => {
  it('keeps a path of this app, with its search', () => {
    expect(safeNext('/runs/abc?tab=logs')).toBe('/runs/abc?tab=logs');
    expect(safeNext('/experiments/1/models')).toBe('/experiments/1/models');
  });

  it('falls back to /runs when next is missing, elsewhere or the sign-in page itself', () => {
    for (const next of [undefined, '', 'runs', '//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/sign-in?next=/runs']) {
      expect(safeNext(next), String(next)).toBe('/runs');
    }
  });
});

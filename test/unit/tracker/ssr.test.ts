// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../../src/index';

describe('createTracker without window (server rendering, a Node import)', () => {
  it('returns the inert tracker silently, with debug on', async () => {
    const spies = (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const t = createTracker({ endpoint: '/collect', debug: true });
    t.track('add_to_cart', { value: 1 });
    t.page();
    t.identify('u');
    t.consent(true);
    expect(t.stage).toBe('awareness');
    expect(t.on('stage', () => {})).toBeTypeOf('function');
    await expect(t.flush()).resolves.toBeUndefined();
    t.destroy();
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });
});

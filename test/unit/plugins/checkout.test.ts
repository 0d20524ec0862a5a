import { afterEach, describe, expect, it } from 'vitest';
import { checkout } from '../../../src/plugins/checkout';
import type { Plugin } from '../../../src/types';
import { createFake, type Fake } from './fake-context';

let fake: Fake;
let clock = 0;
const start = (store = new Map<string, string>(), ...before: Plugin[]) => {
  fake = createFake({ store, now: () => clock });
  for (const p of before) fake.use(p);
  return fake.use(checkout());
};
afterEach(() => fake.destroy());

describe('checkout', () => {
  it('adds checkout_ms from begin_checkout to the purchase, across a reload', () => {
    const store = new Map<string, string>();
    clock = 1_000;
    start(store).track('begin_checkout', { value: 10 });
    fake.destroy();
    clock = 91_000;
    start(store).track('add_payment_info');
    clock = 95_500;
    expect(fake.track('purchase', { transaction_id: 'T1' })!.props.checkout_ms).toBe(94_500);
  });

  it('measures from the latest begin_checkout and clears it with the purchase', () => {
    clock = 0;
    start().track('begin_checkout');
    clock = 5_000;
    fake.track('begin_checkout');
    clock = 8_000;
    expect(fake.track('purchase', { transaction_id: 'T1' })!.props.checkout_ms).toBe(3_000);
    clock = 9_000;
    expect(fake.track('purchase', { transaction_id: 'T2' })!.props).not.toHaveProperty('checkout_ms');
  });

  it('keeps a checkout_ms the purchase already has, and attaches nothing else', () => {
    clock = 0;
    start().track('begin_checkout');
    clock = 10;
    const p = fake.track('purchase', { transaction_id: 'T1', checkout_ms: 7 })!.props;
    expect(p).toEqual({ transaction_id: 'T1', checkout_ms: 7 });
  });

  it('ignores a begin_checkout that an earlier plugin dropped', () => {
    const dropper: Plugin = { name: 'drop', beforeSend: (e) => (e.props.test ? null : e) };
    clock = 0;
    start(undefined, dropper).track('begin_checkout', { test: true });
    clock = 50;
    expect(fake.track('purchase')!.props.checkout_ms).toBeUndefined();
  });

  it('never sends a negative time when the clock went back', () => {
    clock = 5_000;
    start().track('begin_checkout');
    clock = 1_000;
    expect(fake.track('purchase')!.props.checkout_ms).toBeUndefined();
  });
});

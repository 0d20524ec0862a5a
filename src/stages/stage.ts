import { pluck } from '../lib/safe';
import type { Props, Stage } from '../types';

/** The journey stages, in funnel order (README, "Journey stages"). */
export const STAGES = /* @__PURE__ */ 'awareness consideration conversion retention advocacy'.split(' ') as readonly Stage[];

const AWARENESS = 'awareness';
const CONVERSION = 'conversion';
const RETENTION = 'retention';
const ADVOCACY = 'advocacy';

/** A real number or a numeric string as a number, anything else NaN (`+[9]` would be 9, `+''` 0). */
export const toNumber = (v: unknown): number =>
  typeof v == 'number' || (typeof v == 'string' && v.trim()) ? +(v as string) : NaN;

export const isStage = (v: unknown): v is Stage => STAGES.indexOf(v as Stage) >= 0;

// Event types of consideration, conversion, retention and advocacy, in that order.
// Space-separated strings: smaller in the bundle than an object literal.
const EVENTS = /* @__PURE__ */ pluck(
  [
    'view_item view_item_list select_item search add_to_wishlist view_promotion',
    'add_to_cart remove_from_cart view_cart begin_checkout add_shipping_info add_payment_info purchase',
    'login',
    'share referral_share write_review',
  ],
  (s) => s.split(' '),
);

/** The stage an event belongs to, or `undefined` when it has none. */
export const stageOfEvent = (type: string, props: Props): Stage | undefined => {
  if (type == 'nps_response') {
    const n = toNumber(props && props.score);
    return n == 9 || n == 10 ? ADVOCACY : undefined;
  }
  for (let i = 0; i < 4; i++) if (EVENTS[i].indexOf(type) >= 0) return STAGES[i + 1];
};

/**
 * Where a candidate stage (of an event or page) moves the visitor: README, "Journey stages", precedence after
 * the page attribute (advocacy moves anyone; buyers of an earlier session stay in retention but for conversion).
 * `retained`: the visitor purchased in an earlier session. Rule 1 (the page attribute) is the caller's.
 */
export const nextStage = (current: Stage, candidate: Stage | undefined, retained: boolean): Stage =>
  !candidate || !isStage(candidate)
    ? current
    : candidate == ADVOCACY || !retained
      ? candidate
      : candidate == CONVERSION
        ? CONVERSION
        : RETENTION;

/**
 * The stage a new session starts in (rules 3 and 5): buyers in retention, new visitors and
 * visitors arriving from outside in awareness, everyone else where they left off.
 */
export const sessionStage = (last: Stage | undefined, buyer: boolean, external: boolean): Stage =>
  buyer ? RETENTION : !last || !isStage(last) || external ? AWARENESS : last;

/**
 * One shopper action, one `add_to_cart`, whichever plugins are on. A cart adapter sees an add when the shop's
 * request succeeds; the page may report the same add itself (a data layer push from a GTM plugin such as gtm4wp,
 * a `data-journey-event` attribute, a `track()` call), often under another id (the product id where the adapter
 * read the SKU). An adapter's add and an add from elsewhere that share an id and come within `WINDOW` ms of each
 * other are one action: the first one is kept, the second dropped (said under `debug`). Each add pairs at most
 * once, so two quick clicks stay two adds.
 */
import type { Line } from '../events';
import type { JourneyEvent } from '../types';
import { ADD } from './cart-base';

const WINDOW = 1e4;
/** Marks an adapter's add for `check` (removed there, never sent): its number in `ids`. */
export const MARK = '_adapter';

/** An add kept lately: its time, the ids it names, whether an adapter made it. */
interface Kept {
  t: number;
  i: string[];
  a: boolean;
}

export const createPairs = (log: (...a: unknown[]) => void = () => {}) => {
  // Numbers, not the ids themselves, travel in props: props are scrubbed, and long numeric ids look like phones.
  const ids: Record<number, string[]> = {};
  let n = 0;
  let kept: Kept[] = [];
  /** The unpaired add of the other kind (`adapter` says which one this is) sharing an id, taken if there is one. */
  const take = (i: string[], t: number, adapter: boolean) => {
    kept = kept.filter((k) => Math.abs(t - k.t) < WINDOW);
    const at = kept.findIndex((k) => k.a != adapter && k.i.some((x) => i.indexOf(x) >= 0));
    return at >= 0 && !!kept.splice(at, 1);
  };
  return {
    /** The mark for an adapter's add of items known by `i` (every id the shop gave each of them). */
    mark: (i: unknown[]) => ((ids[++n] = i.filter((x) => x != null && x !== '').map(String)), n),
    /** For `beforeSend`: drops the second report of one add, keeps the rest. */
    check(e: JourneyEvent): JourneyEvent | null {
      const p = e.props;
      const m = p[MARK] as number;
      const mine = ids[m];
      delete p[MARK];
      delete ids[m];
      if (e.type != ADD) return e;
      const i = mine || (Array.isArray(p.items) ? (p.items as Line[]).map((x) => '' + (x && x.item_id)) : []);
      if (take(i, e.time, !!mine)) return (log('add_to_cart twice (adapter, page): kept the first'), null);
      kept.push({ t: e.time, i, a: !!mine });
      return e;
    },
  };
};

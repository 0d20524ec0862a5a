import type { Log } from '../lib/log';
import type { Props } from '../types';
import { PREFIX, emitFrom } from './attributes';
import { NO_VIEWS, VIEWS_FAILED } from '../lib/codes';

const VIEW = PREFIX + 'view';
const SELECTOR = '[' + VIEW + ']';

/**
 * `data-journey-view`: emits once per element when at least half of it is visible. Elements
 * added later (or marked later) are picked up by a MutationObserver. Without
 * IntersectionObserver it does nothing. Returns a teardown.
 */
export const onViews = (doc: Document, emit: (type: string, props: Props) => void, log: Log): (() => void) => {
  const { IntersectionObserver: IO, MutationObserver: MO } = (doc.defaultView || {}) as typeof globalThis;
  const off = () => {};
  if (!IO) return (log(NO_VIEWS), off);
  try {
    // Elements observed once: a removed and re-added element is not counted twice.
    const seen = new WeakSet<Element>();
    const io = new IO(
      (entries) => {
        for (const e of entries) {
          // The first callback reports the current state, maybe below the threshold.
          if (!e.isIntersecting || e.intersectionRatio < 0.5) continue;
          io.unobserve(e.target);
          emitFrom(e.target, VIEW, emit, log);
        }
      },
      { threshold: 0.5 },
    );
    const observe = (el: Element) => seen.has(el) || (seen.add(el), io.observe(el));
    // Also takes the document itself; text and comment nodes have no querySelectorAll.
    const scan = (node: Node) => {
      const el = node as Element;
      if (el.matches && el.matches(SELECTOR)) observe(el);
      if (el.querySelectorAll) el.querySelectorAll(SELECTOR).forEach(observe);
    };
    // Every browser with IntersectionObserver has MutationObserver too.
    const mo = new MO((records) => {
      try {
        for (const r of records) r.type == 'attributes' ? scan(r.target) : r.addedNodes.forEach(scan);
      } catch (e) {
        log(VIEWS_FAILED, e);
      }
    });
    mo.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: [VIEW] });
    scan(doc);
    return () => {
      io.disconnect();
      mo.disconnect();
    };
  } catch (e) {
    log(VIEWS_FAILED, e);
    return off;
  }
};

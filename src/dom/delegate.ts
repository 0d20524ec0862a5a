import type { Log } from '../core/log';
import type { Props } from '../types';
import { PREFIX, readProps } from './attributes';

const EVENT = PREFIX + 'event';

/**
 * `data-journey-event`: one delegated click and one submit listener on the document, so elements
 * added later work too. Capture phase, because themes call stopPropagation on their own buttons.
 * A click emits for the nearest marked element only (nested marks emit once); a marked `<form>`
 * emits on submit, never on a click inside it. Returns a teardown.
 */
export const onActions = (doc: Document, emit: (type: string, props: Props) => void, log: Log): (() => void) => {
  const handler = (e: Event) => {
    try {
      const t = e.target as Element | null;
      // Text nodes and the document itself have no `closest`.
      const el = t && t.closest ? t.closest('[' + EVENT + ']') : null;
      // Clicks are for anything but forms, submits for forms only.
      if (!el || (e.type == 'click') == (el.tagName == 'FORM')) return;
      const type = (el.getAttribute(EVENT) || '').trim();
      if (type) emit(type, readProps(el, type, log));
      else log('empty', EVENT);
    } catch (err) {
      log('action failed', err);
    }
  };
  const on = (add: boolean) => {
    for (const type of ['click', 'submit']) (add ? doc.addEventListener : doc.removeEventListener).call(doc, type, handler, true);
  };
  on(true);
  return () => on(false);
};

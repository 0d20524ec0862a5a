import { pluck } from '../lib/safe';
import type { Log } from '../lib/log';
import type { Props } from '../types';
import { PREFIX, emitFrom } from './attributes';
import { listen } from '../lib/listen';

const EVENT = PREFIX + 'event';

/**
 * `data-journey-event`: one delegated click and one submit listener on the document, so elements
 * added later work too. Capture phase, because themes call stopPropagation on their own buttons.
 * A click emits for the nearest marked element only (nested marks emit once); a marked `<form>`
 * emits on submit, never on a click inside it. Returns a teardown.
 */
export const onActions = (doc: Document, emit: (type: string, props: Props) => void, log: Log): (() => void) => {
  const handler = (e: Event) => {
    // Text nodes and the document itself have no `closest`.
    const el = (e.target as Element | null)?.closest?.('[' + EVENT + ']');
    // Clicks are for anything but forms, submits for forms only.
    // A form's `data-journey-fields` may list the button that submitted it (an NPS form of 0–10 buttons).
    if (el && (e.type == 'click') != (el.tagName == 'FORM')) emitFrom(el, EVENT, emit, log, (e as SubmitEvent).submitter);
  };
  const offs = pluck(['click', 'submit'], (type) => listen(doc, type, handler));
  return () => pluck(offs, (off) => off());
};

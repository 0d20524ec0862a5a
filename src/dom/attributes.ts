import type { Log } from '../lib/log';
import type { Line } from '../events';
import type { Props, Stage } from '../types';
import { cleanProps, markCut, wasCut } from '../core/clean';
import { STAGES, isStage, stageOfEvent, toNumber } from '../stages/stage';
import { readFields } from './fields';
import {
  BAD_JSON_PROPS,
  BAD_PROP,
  BAD_STAGE,
  EMIT_FAILED,
  EMPTY,
  PROPS_FAILED,
  STAGE_FAILED,
  TOO_MANY_PROPS,
} from '../lib/codes';

/** The attribute prefix of theme markup (README, "Quickstart: theme authors"). */
export const PREFIX = 'data-journey-';
const PROP = PREFIX + 'prop-';
const STAGE = PREFIX + 'stage';
const MAX_KEYS = 50;

// Props that are numbers whichever way they are written.
const NUMBERS = /* @__PURE__ */ 'price value quantity score'.split(' ');
// Keys that make up the one-item `items` array of a commerce event.
const ITEM_KEYS = /* @__PURE__ */ 'item_id item_name item_brand item_category item_variant price quantity'.split(' ');

/** Set when put() cuts a value or leaves a prop out: the event then says `truncated: true`. */
let cut: boolean | undefined;

const put = (props: Props, key: string, v: unknown, log: Log): void => {
  // Keys become object keys: keep prototype-polluting names out (`props['__proto__'] =` sets the prototype).
  // Polluting keys (`__proto__`, `constructor`) do no harm here (a string set on `__proto__` is ignored) and
  // cleanProps() below drops them.
  if (!key) return log(BAD_PROP, key);
  if (NUMBERS.indexOf(key) >= 0) {
    v = toNumber(v);
    if (!isFinite(v as number)) return log(BAD_PROP, key);
  }
  // Long strings are cut (to 1,000 characters) by cleanProps at the end, which says so.
  if (Object.keys(props).length < MAX_KEYS || key in props) props[key] = v;
  else log(TOO_MANY_PROPS), (cut = true);
};

/**
 * The props of an element: `data-journey-props` (a JSON object) first, then each
 * `data-journey-prop-<key>`, then a form's `data-journey-fields` (later ones win: what the visitor chose beats the
 * markup's default). On commerce events the item keys become a one-item `items` array with `value` = price ×
 * quantity unless a value is given. Hostile markup gives a debug message, never a throw.
 */
export const readProps = (el: Element, type: string, log: Log, submitter?: Element | null): Props => {
  const props: Props = {};
  cut = false;
  try {
    const json = el.getAttribute(PREFIX + 'props');
    if (json) {
      let o: unknown;
      try {
        o = JSON.parse(json);
      } catch {
        // `o` stays undefined: logged below.
      }
      if (o && typeof o == 'object' && !Array.isArray(o)) {
        // cleanProps bounds nested values and drops polluting keys at every depth.
        const c = cleanProps(o);
        cut = wasCut();
        for (const k in c) put(props, k, c[k], log);
      } else log(BAD_JSON_PROPS);
    }
    for (const a of Array.from(el.attributes)) if (!a.name.indexOf(PROP)) put(props, a.name.slice(PROP.length), a.value, log);
    const fields = el.getAttribute(PREFIX + 'fields');
    if (fields) readFields(el, fields, (k, v) => put(props, k, v, log), submitter);
    // GA4's commerce events are the consideration and conversion ones (size: no list of its own).
    // `items` is GA4's list of item objects: markup that says otherwise loses it (the item keys may rebuild it).
    if (!Array.isArray(props.items)) delete props.items;
    const s = stageOfEvent(type, props);
    if ((s == STAGES[1] || s == STAGES[2]) && !props.items) {
      const item: Line = {};
      let found = 0;
      for (const k of ITEM_KEYS) if (k in props) (item[k] = props[k]), delete props[k], found++;
      if (found) {
        const price = item.price;
        const quantity = (item.quantity = item.quantity || 1);
        props.items = [item];
        // Rounded to drop float noise (19.9 * 3 = 59.699999999999996); six places keep 3-decimal currencies.
        if (price !== undefined && props.value === undefined) props.value = Math.round(price * quantity * 1e6) / 1e6;
      }
    }
  } catch (e) {
    log(PROPS_FAILED, e);
  }
  // One budget for both attribute forms together (50 long prop-* values alone are 50,000 characters).
  const out = cleanProps(props);
  return cut || wasCut() ? markCut(out) : out;
};

/**
 * The page's stage from `data-journey-stage`: the first element that has it in document order
 * (so `<html>`, then `<body>`, then any element: theme partials may set it on a wrapper).
 */
export const readPageStage = (doc: Document, log: Log): Stage | undefined => {
  try {
    const el = doc.querySelector('[' + STAGE + ']');
    const v = el && el.getAttribute(STAGE)!.trim().toLowerCase();
    if (isStage(v)) return v;
    if (el) log(BAD_STAGE, v);
  } catch (e) {
    log(STAGE_FAILED, e);
  }
};

/**
 * Emits the event an element's `attr` (`data-journey-event` or `-view`) names, with the element's props.
 * Hostile markup gives a debug message, never a throw.
 */
export const emitFrom = (
  el: Element,
  attr: string,
  emit: (type: string, props: Props) => void,
  log: Log,
  submitter?: Element | null,
): void => {
  try {
    const type = el.getAttribute(attr)?.trim();
    type ? emit(type, readProps(el, type, log, submitter)) : log(EMPTY, attr);
  } catch (e) {
    log(EMIT_FAILED, attr, e);
  }
};

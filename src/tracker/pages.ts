import type { JourneyEvent, Props } from '../types';
import type { Core, Job } from '../pipeline/job';
import type { Recorder } from '../pipeline/record';
import type { Config } from '../core/options';
import { createUrlCleaner } from '../core/url';
import { createEngagedClock } from '../core/engaged';
import { compileRules } from '../stages/rules';
import { readArrival } from '../stages/arrival';
import { readPageStage } from '../dom/attributes';

/** Page views and page leaves: what the tracker itself sends about the page. */
export const createPages = (c: Core, config: Config, enter: (j: Partial<Job>) => JourneyEvent | null | void, rec: Recorder) => {
  const cleanUrl = createUrlCleaner(config.stripParams);
  const matchRules = compileRules(config.rules, c._log);
  const clock = createEngagedClock();
  /** This page view's page_leave, once made: leaving again queues the same event (same id), never a second one. */
  let left: JourneyEvent | null | void;
  c._referrer = cleanUrl(document.referrer);

  const view = (props?: Props) => {
    // Calls before this page view keep the page they were made on.
    rec.drain();
    const url = new URL(location.href);
    c._url = cleanUrl(url.href);
    left = undefined;
    const match = matchRules(url);
    // data-journey-stage wins for the page view (README, "Journey stages"); a URL rule's stage is a candidate like an event's.
    enter({
      _type: 'page_view',
      // No copy: the clean step makes one, and the path runs now, before the page can change `props`.
      _raw: props,
      _arrival: readArrival(url, c._referrer),
      _stage: readPageStage(document, c._log),
      _candidate: match.stage,
    });
    if (match.event) enter({ _type: match.event });
  };

  const leave = () => {
    rec.drain();
    if (left) return c._delivery.push(left);
    // The page's own page_leave, kept to queue again (a host may track a 'page_leave' of its own).
    if (c._url) left = enter({ _type: 'page_leave', _raw: { engaged_ms: clock.take() } });
  };

  /** An SPA navigation: the page left, then the next one viewed, referred by the last. */
  const navigate = () => {
    leave();
    c._referrer = c._url;
    view();
  };

  return { view, leave, navigate, visibility: clock.update };
};

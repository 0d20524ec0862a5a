import { ulid } from '../core/ids';
import { scrubText } from '../core/url';
import type { Step } from './job';

/** The event as the wire carries it: ids, time, stage, page. */
export const stamp: Step = (j, c) => {
  const t = document.title;
  const e = (j._event = {
    id: ulid(j._now),
    type: j._type,
    time: j._now,
    visitor_id: c._session.visitor(),
    session_id: c._sid,
    stage: c._stage,
    url: c._url,
    referrer: c._referrer,
    title: t == c._rawTitle ? c._title : ((c._rawTitle = t), (c._title = scrubText(t.slice(0, 300)))),
    props: j._props,
  } as NonNullable<typeof j._event>);
  if (c._user) e.user_id = c._user;
  if (j._cut) e.truncated = true;
};

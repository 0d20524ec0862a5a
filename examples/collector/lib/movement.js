// How journeys move: stage transitions, time to a first purchase, and what a slow page costs in conversion.
import { STAGES } from './validate.js';
import { VITAL_RATING } from './report-format.js';

const STAGE_LIST = STAGES.map((s) => `'${s}'`).join(', ');
/** An event that is an LCP sample. */
export const LCP_SAMPLE = "type = 'web_vital' AND vital = 'LCP'";
/** Google's LCP thresholds (ms), the same the report rates vitals by. */
const LCP = VITAL_RATING.LCP;

/**
 * @param {import('./metrics.js').FullDialect} d @param {string} range the range's condition
 * @param {string} site @param {string} from @param {string} to
 */
export const movementSql = (d, range, site, from, to) => {
  const buyers = `SELECT visitor_id FROM ${d.typed(['purchase'], range)}`;
  return {
    // Stage changes in the range: each stage_change event once, by its props.from and props.to (an engine may count
    // them from its own copies, Dialect.changes).
    transitions: `SELECT from_stage, to_stage, ${d.changes ? 'sum(w)' : d.once()} AS n FROM (${
      d.changes?.() ??
      `SELECT id, ${d.prop('from')} AS from_stage, ${d.prop('to')} AS to_stage FROM ${d.typed(['stage_change'], range)}`
    }) WHERE from_stage IN (${STAGE_LIST}) AND to_stage IN (${STAGE_LIST}) GROUP BY from_stage, to_stage`,
    // Visitors whose first purchase ever falls in the range: days from their first event to it, and how many
    // sessions they had begun by then (the purchase's included). Medians over those visitors (`w`: each row
    // weighs one, for an engine whose quantile weighs rows). Only the events of visitors who bought in the range are read.
    first_purchase: `SELECT count(*) AS buyers, ${d.quantile('days', 0.5)} AS median_days, ${d.quantile('sessions', 0.5)} AS median_sessions FROM (
        SELECT 0 AS one, 1 AS w, (first_buy - first_seen) / 86400000 AS days, ${d.countUpTo('starts', 'first_buy')} AS sessions FROM (
          SELECT min(began) AS first_seen, min(bought) AS first_buy, ${d.listIf('began', '1 = 1')} AS starts FROM (
            ${
              d.visits?.(buyers) ??
              `SELECT visitor_id AS vis, min(time) AS began, min(CASE WHEN type = 'purchase' THEN time ELSE ${d.never} END) AS bought
            FROM ${d.scan(`site = ${site} AND time < ${to} AND visitor_id IN (${buyers})`)} GROUP BY visitor_id, session_id`
            })
          GROUP BY vis)
        WHERE first_buy >= ${from} AND first_buy < ${to}) GROUP BY one`,
    // Sessions with an LCP sample, by the stage and Google's rating of their first one (the landing page's):
    // how many, and how many with a purchase.
    // (An engine may read the sessions from its own copies, Dialect.lcp.)
    lcp_conversion: `SELECT st AS stage, CASE WHEN lcp <= ${LCP.good} THEN 'good' WHEN lcp <= ${LCP.poor} THEN 'needs improvement' ELSE 'poor' END AS rating,
        count(*) AS sessions, ${d.countIf('bought')} AS converted FROM (${
          d.lcp?.() ??
          `SELECT ${d.firstBy(`CASE WHEN ${LCP_SAMPLE} THEN value END`, 'time')} AS lcp,
            ${d.firstBy(`CASE WHEN ${LCP_SAMPLE} THEN stage END`, 'time')} AS st, max(type = 'purchase') AS bought
          FROM ${d.typed(['purchase', 'lcp'], range)} GROUP BY session_id`
        })
        WHERE lcp IS NOT NULL GROUP BY st, rating ORDER BY st, rating`,
  };
};

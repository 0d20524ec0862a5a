import type { Log } from '../lib/log';
import type { Rule, Stage } from '../types';
import { defaultRules } from './defaults';
import { isStage } from './stage';
import { BAD_RULE, BAD_RULES } from '../lib/codes';

/** What the URL rules say about a page; each field from the first matching rule that has it. */
export interface RuleMatch {
  stage?: Stage;
  event?: string;
}

interface Compiled {
  _re: RegExp;
  /** Globs look at the path only, `re:` rules at path and query. */
  _glob: boolean;
  _stage?: Stage;
  _event?: string;
}

const RE = 're:';

/**
 * A path glob as an anchored regex source: `*` stays within a segment, `**` crosses segments
 * (`/a/**` also matches `/a`), a trailing slash is optional, everything else is literal.
 */
export const globSource = (glob: string): string =>
  '^' +
  glob
    // Runs of `*` collapse first: fifty of them backtrack for minutes against one long path segment.
    .replace(/\*{3,}/g, '**')
    .replace(/\/+$/, '')
    // Tolerate a glob written without its leading slash.
    .replace(/^\/?/, '/')
    .replace(/\/\*\*|\*\*?|[.+?^${}()|[\]\\]/g, (m) =>
      m == '/**' ? '(?:/.*)?' : m == '**' ? '.*' : m == '*' ? '[^/]*' : '\\' + m,
    ) +
  '/?$';

const compile = (rule: unknown, log: Log): Compiled | void => {
  try {
    const { match: m, stage, event } = (rule || {}) as Rule;
    if (
      typeof m != 'string' ||
      !m ||
      (stage === undefined && event === undefined) ||
      (stage !== undefined && !isStage(stage)) ||
      (event !== undefined && (typeof event != 'string' || !event))
    )
      return log(BAD_RULE, rule);
    const glob = m.indexOf(RE) != 0;
    return { _re: RegExp(glob ? globSource(m) : m.slice(3), 'i'), _glob: glob, _stage: stage, _event: event };
  } catch {
    // An invalid regex, or a hostile object whose getters throw.
    log(BAD_RULE, rule);
  }
};

/**
 * Compiles untrusted rules (e.g. JSON from `data-rules`) once, user rules before the defaults.
 * Bad rules are dropped with a debug message; nothing here throws. A `re:` rule is the shop's own regex: a
 * catastrophically backtracking one can still stall matching (input is capped at 2,000 characters).
 */
export const compileRules = (rules: unknown, log: Log): ((url: URL) => RuleMatch) => {
  const list: Compiled[] = [];
  const user: unknown[] = [];
  try {
    // A bounded copy by index: a huge length is not walked, and a throwing Proxy (or an own `slice`) throws here.
    if (Array.isArray(rules)) for (let i = 0; i < rules.length && i < 1e3; i++) user.push(rules[i]);
    else if (rules != null) throw 0;
  } catch {
    log(BAD_RULES);
  }
  for (const r of user.concat(defaultRules)) {
    const c = compile(r, log);
    if (c) list.push(c);
  }
  return (url) => {
    const out: RuleMatch = {};
    // Bounded input bounds the backtracking of a wild glob or `re:` rule (still the shop's own code).
    const path = url.pathname.slice(0, 2e3);
    const full = (path + url.search).slice(0, 2e3);
    for (const c of list) {
      // A rule is only worth testing if it can still fill a field.
      if ((c._stage && !out.stage) || (c._event && !out.event)) {
        if (c._re.test(c._glob ? path : full)) {
          out.stage = out.stage || c._stage;
          out.event = out.event || c._event;
          if (out.stage && out.event) break;
        }
      }
    }
    return out;
  };
};

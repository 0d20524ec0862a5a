import type { Config } from '../core/options';
import { onNavigate } from '../core/navigation';
import { listen } from '../lib/listen';
import { onHidden, whenActivated } from '../lib/lifecycle';
import { onActions } from '../dom/delegate';
import { onViews } from '../dom/visible';
import type { Log } from '../lib/log';
import type { Props } from '../types';
import type { createPages } from './pages';

/** Once the page is shown: the first page view, then the listeners for attributes, leaving and navigation. */
export const startPage = (
  config: Config,
  pages: ReturnType<typeof createPages>,
  emit: (type: string, props: Props) => void,
  flush: () => void,
  teardowns: (() => void)[],
  log: Log,
) =>
  whenActivated(() => {
    pages.view();
    // The pagehide the first listener saw through to its end: the second has nothing left to do then.
    let handled: Event | undefined;
    const leaving = (e: Event) => handled != e && (pages.leave(), flush(), (handled = e));
    teardowns.push(
      onActions(document, emit, log),
      onViews(document, emit, log),
      listen(document, 'visibilitychange', pages.visibility),
      onHidden(flush),
      // Twice on purpose. Firefox shuts a closed tab's content process down at once and aborts the script
      // running at that moment, uncatchably (dom.abort_script_on_child_shutdown): often this listener, before
      // its page_leave is queued. The abort hits one script, so the second listener finishes the job (and
      // does nothing when the first finished). A second function: the same one would be added only once.
      listen(window, 'pagehide', leaving),
      listen(window, 'pagehide', (e: Event) => leaving(e)),
      // A page restored from the back/forward cache is a new page view for the visitor.
      listen(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && pages.view()),
    );
    if (config.spa) teardowns.push(onNavigate(pages.navigate, config.hashChanges));
  });

/**
 * The debug add-on for the script tag (dist/journey.debug.min.js), added after the main tag while testing: the
 * `debug()` plugin with the main tag's endpoint, and a line saying why nothing is sent under a privacy signal.
 */
import { debug } from './plugins/debug';
import { register } from './register';

try {
  const tag = document.querySelector('script[data-endpoint]');
  const n = navigator as any;
  // The tracker is off then, so no plugin of it runs: said here, with the way to test anyway.
  if (n.globalPrivacyControl === true || n.doNotTrack == '1')
    console.info(
      '[journey] off: Global Privacy Control or Do Not Track is on in this browser; nothing is stored or sent. Test in a profile without it.',
    );
  register(() => debug({ endpoint: tag?.getAttribute('data-endpoint') || undefined }));
} catch {
  // Never an exception into the page.
}

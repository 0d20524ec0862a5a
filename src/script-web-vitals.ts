/** The web-vitals add-on for the script tag (dist/journey.web-vitals.min.js), added after the main tag. */
import { webVitals } from './plugins/web-vitals';
import { register } from './register';

register(webVitals);

// The trackers under test. Each entry says which npm package (pinned) holds its browser build,
// which files the page loads, the code a shop pastes (as in the vendor's docs, pointed at the local
// capture server, remote config and extras off), and how one `track` call is made.
// `paste(o)` returns page JS; it must call `__bench.done()` once the tracker is ready.
// o = { site, collector, rules } (origins of the shop and of the capture server).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Peer packages, installed by `npm run bench` into test/bench/peers (never the project's deps). */
export const PACKAGES = {
  'posthog-js': '1.449.2',
  '@snowplow/browser-tracker': '4.10.1',
  '@segment/analytics-next': '1.84.3',
  '@rudderstack/analytics-js': '3.34.1',
  // 2.48.1 depends on a plugin version the registry mirror we used lacked; 2.45.0 resolves.
  '@amplitude/analytics-browser': '2.45.0',
  'mixpanel-browser': '2.83.0',
  '@plausible-analytics/tracker': '0.4.6',
};

/** A script element inserted the way vendor snippets do (async), calling `then` once it ran. */
const load = (src, then = '') =>
  `(function(){var s=document.createElement('script');s.async=true;s.src=${JSON.stringify(src)};` +
  `s.onload=function(){${then}};document.head.appendChild(s)})();`;

const j = JSON.stringify;

export const createTrackers = ({ dist, peers, build }) => {
  const nm = (p) => join(peers, 'node_modules', p);
  const segmentDir = nm('@segment/analytics-next/dist/umd');
  return [
    {
      name: 'journey',
      label: 'journey-tracker',
      files: { '/s/journey.min.js': join(dist, 'journey.min.js') },
      // The README's snippet: the stub, then the async tag with data-* settings.
      paste: (o) =>
        `window.journey=window.journey||function(){(journey.q=journey.q||[]).push(arguments)};` +
        `(function(){var s=document.createElement('script');s.async=true;s.src='/s/journey.min.js';` +
        `s.setAttribute('data-endpoint',${j(o.collector + '/collect')});s.setAttribute('data-site','bench');` +
        (o.rules ? `s.setAttribute('data-rules',${j(JSON.stringify(o.rules))});` : '') +
        `s.onload=function(){__bench.done()};document.head.appendChild(s)})();`,
      track: `(t,p)=>journey.track(t,p)`,
    },
    {
      name: 'posthog',
      label: 'posthog-js',
      pkg: 'posthog-js',
      // array.js is the file PostHog's snippet loads; it defines window.posthog.
      files: { '/s/posthog.js': nm('posthog-js/dist/array.js') },
      paste: (o) =>
        load(
          '/s/posthog.js',
          `posthog.init('phc_bench',{api_host:${j(o.collector)},disable_compression:true,` +
            `opt_out_useragent_filter:true,advanced_disable_flags:true,advanced_disable_decide:true,advanced_disable_feature_flags:true,` +
            `disable_external_dependency_loading:true,autocapture:false,disable_session_recording:true,` +
            `disable_surveys:true,capture_performance:false,capture_dead_clicks:false,rageclick:false,` +
            `loaded:function(){__bench.done()}})`,
        ),
      track: `(t,p)=>posthog.capture(t,p)`,
    },
    {
      name: 'snowplow',
      label: 'Snowplow browser-tracker',
      pkg: '@snowplow/browser-tracker',
      // The sp.js tag build (@snowplow/javascript-tracker) is not on the registry we can reach;
      // browser-tracker's UMD build is the same tracker core as a script.
      files: { '/s/snowplow.js': nm('@snowplow/browser-tracker/dist/index.umd.min.js') },
      paste: (o) =>
        load(
          '/s/snowplow.js',
          `var S=snowplowBrowserTracking;S.newTracker('sp',${j(o.collector)},{appId:'bench',eventMethod:'post'});` +
            `S.trackPageView();__bench.done()`,
        ),
      track: `(t,p)=>snowplowBrowserTracking.trackSelfDescribingEvent({event:{schema:'iglu:com.example/'+t+'/jsonschema/1-0-0',data:p}})`,
    },
    {
      name: 'segment',
      label: 'Segment analytics-next',
      pkg: '@segment/analytics-next',
      // standalone.js is what the Segment snippet loads from its CDN; its settings and lazy chunks
      // come from `_cdn`, which we point at the local shop.
      files: {
        '/seg/analytics.js/v1/bench/analytics.min.js': join(segmentDir, 'standalone.js'),
        ...Object.fromEntries((build.segmentChunks || []).map((f) => [`/seg/analytics-next/bundles/${f}`, join(segmentDir, f)])),
      },
      routes: (o) => ({
        '/seg/v1/projects/bench/settings': () =>
          j({
            integrations: {
              'Segment.io': { apiKey: 'bench', apiHost: o.collector.replace(/^http:\/\//, '') + '/v1', protocol: 'http' },
            },
            plan: { track: { __default: { enabled: true } } },
            metrics: { sampleRate: 0 },
            remotePlugins: [],
          }),
      }),
      paste: (o) =>
        `(function(){var a=window.analytics=[];` +
        `['track','page','identify','ready','reset'].forEach(function(m){a[m]=function(){var x=[].slice.call(arguments);x.unshift(m);a.push(x);return a}});` +
        `a._writeKey='bench';a._cdn=${j(o.site + '/seg')};a.SNIPPET_VERSION='5.2.1';` +
        `a.ready(function(){__bench.done()});a.page();})();` +
        load('/seg/analytics.js/v1/bench/analytics.min.js'),
      track: `(t,p)=>window.analytics.track(t,p)`,
    },
    {
      name: 'rudderstack',
      label: 'RudderStack analytics-js',
      pkg: '@rudderstack/analytics-js',
      // The tag build on RudderStack's CDN loads its plugins from the CDN too; the npm package's
      // "bundled" UMD build carries them, so it runs offline. It ships unminified: we minify it
      // (esbuild) so its bytes compare fairly.
      files: { '/s/rudderstack.js': join(build.dir, 'rudderstack.min.js') },
      paste: (o) =>
        load(
          '/s/rudderstack.js',
          `var r=window.rs=new rudderanalytics.RudderAnalytics();` +
            `r.load('bench',${j(o.collector)},{getSourceConfig:function(){return{source:{id:'bench',name:'bench',writeKey:'bench',enabled:true,workspaceId:'w',config:{},destinations:[]}}},` +
            `loadIntegration:false,logLevel:'NONE'});r.ready(function(){__bench.done()});r.page();`,
        ),
      track: `(t,p)=>window.rs.track(t,p)`,
    },
    {
      name: 'amplitude',
      label: 'Amplitude analytics-browser',
      pkg: '@amplitude/analytics-browser',
      files: { '/s/amplitude.js': nm('@amplitude/analytics-browser/lib/scripts/amplitude-min.js') },
      paste: (o) =>
        load(
          '/s/amplitude.js',
          `amplitude.init('bench',{serverUrl:${j(o.collector + '/2/httpapi')},autocapture:false,` +
            `fetchRemoteConfig:false,remoteConfig:{fetchRemoteConfig:false},logLevel:0}).promise.then(function(){__bench.done()})`,
        ),
      track: `(t,p)=>amplitude.track(t,p)`,
    },
    {
      name: 'mixpanel',
      label: 'mixpanel-browser',
      pkg: 'mixpanel-browser',
      files: { '/s/mixpanel.min.js': nm('mixpanel-browser/dist/mixpanel.min.js') },
      // Mixpanel's own snippet (from the package), told to load the library from the shop.
      paste: (o) =>
        `window.MIXPANEL_CUSTOM_LIB_URL=${j(o.site + '/s/mixpanel.min.js')};` +
        readFileSync(nm('mixpanel-browser/dist/mixpanel-jslib-snippet.min.js'), 'utf8') +
        `;mixpanel.init('bench',{api_host:${j(o.collector)},batch_requests:true,track_pageview:true,` +
        `persistence:'localStorage',loaded:function(){__bench.done()}});`,
      track: `(t,p)=>mixpanel.track(t,p)`,
    },
    {
      name: 'plausible',
      label: 'Plausible tracker',
      pkg: '@plausible-analytics/tracker',
      // The npm package is an ES module; we bundle it as a minified IIFE (esbuild) for the tag.
      // Plausible's own script.js is served by plausible.io, not published to npm.
      files: { '/s/plausible.js': join(build.dir, 'plausible.min.js') },
      paste: (o) =>
        load(
          '/s/plausible.js',
          `PlausibleTracker.init({domain:'bench',endpoint:${j(o.collector + '/api/event')},captureOnLocalhost:true,logging:false});__bench.done()`,
        ),
      track: `(t,p)=>PlausibleTracker.track(t,{props:p})`,
    },
  ];
};

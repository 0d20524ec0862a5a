import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';

// Every build targets ES2020: `?.` and `??` stay as written (every browser with IndexedDB, sendBeacon and keepalive
// fetch has them), which is smaller than their ES2019 rewrites (npm createTracker −64 B brotli). A bundler that cannot
// parse them could not take web-vitals, our dependency, either: its dist has `?.` too. Declarations come from the `dts` build
// below, not from here. A type error fails the build (`noEmitOnError` in tsconfig.json).
const ts = (target) => typescript({ tsconfig: './tsconfig.json', compilerOptions: { target } });

/** Minified script-tag builds: idb-keyval and web-vitals are bundled in. */
const minified = (input, file) => ({
  input,
  // `hidden`: the map is written but the tag carries no `sourceMappingURL` comment (19 B brotli, every page load);
  // load dist/*.min.js.map into the browser's devtools by hand to debug the tag.
  output: { file, format: 'iife', sourcemap: 'hidden' },
  plugins: [
    resolve(),
    ts('ES2020'),
    terser({
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, unsafe_arrows: true, pure_getters: true, unsafe_methods: true },
      // Internal properties start with `_` (STYLE.md) so they can be renamed; public names stay.
      mangle: { properties: { regex: /^_/ } },
      format: { comments: false },
    }),
  ],
});

export default [
  {
    input: 'src/index.ts',
    external: ['idb-keyval', 'web-vitals'],
    output: [
      { file: 'dist/index.js', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true },
    ],
    plugins: [
      ts('ES2020'),
      // The internal `_` properties are renamed (an app's bundler cannot: −120 B brotli on `createTracker`), and
      // constants (debug codes, limits) are folded into their uses, which app bundlers leave as variables (−316 B),
      // and `if … return` chains joined (−31 B);
      // nothing else is compressed (full compression measured +160 B), and the pure annotations stay, so a plugin
      // imported alone still drops the core.
      terser({
        compress: { defaults: false, module: true, reduce_vars: true, evaluate: true, unused: true, if_return: true },
        mangle: { properties: { regex: /^_/ } },
        format: { beautify: true, preserve_annotations: true, comments: 'some' },
      }),
    ],
  },
  // One self-contained declaration file per format: no relative import left to resolve, so every moduleResolution
  // (node10, node16, nodenext, bundler) finds the same types. `.d.cts` because the package is `"type": "module"`:
  // a `.d.ts` beside `index.cjs` would tell TypeScript that require() gets an ES module.
  {
    input: 'src/index.ts',
    external: ['idb-keyval', 'web-vitals'],
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    plugins: [dts({ tsconfig: './tsconfig.json' })],
  },
  minified('src/script.ts', 'dist/journey.min.js'),
  minified('src/script-web-vitals.ts', 'dist/journey.web-vitals.min.js'),
  minified('src/script-cart-adapters.ts', 'dist/journey.cart-adapters.min.js'),
  minified('src/script-debug.ts', 'dist/journey.debug.min.js'),
  minified('src/script-data-layer.ts', 'dist/journey.data-layer.min.js'),
];

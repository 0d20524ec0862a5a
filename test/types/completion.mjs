/**
 * Editors complete the known event names in `track('` and a known event's props, while any other name is allowed:
 * asked of TypeScript's language service, as an editor asks it. Run by `npm run test:types`.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const file = root + 'test/types/completion-probe.ts';
const source = `import type { Tracker } from '../../src/index';
declare const t: Tracker;
t.track('');
t.track('search', {  });
`;
const host = {
  getScriptFileNames: () => [file],
  getScriptVersion: () => '1',
  getScriptSnapshot: (f) => ts.ScriptSnapshot.fromString(f == file ? source : (ts.sys.readFile(f) ?? '')),
  getCurrentDirectory: () => root,
  getCompilationSettings: () => ({
    strict: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts', 'lib.dom.d.ts'],
    types: [],
  }),
  getDefaultLibFileName: ts.getDefaultLibFilePath,
  fileExists: (f) => f == file || ts.sys.fileExists(f),
  readFile: (f) => (f == file ? source : ts.sys.readFile(f)),
};
const service = ts.createLanguageService(host);
const names = (at) =>
  service.getCompletionsAtPosition(file, source.indexOf(at) + at.length, {})?.entries.map((e) => e.name) ?? [];

const events = names("t.track('");
for (const e of ['add_to_cart', 'purchase', 'search', 'nps_response', 'view_item'])
  assert.ok(events.includes(e), `track(' completes ${e}: ${events.slice(0, 10)}`);
const props = names("t.track('search', { ");
assert.deepEqual(props, ['search_term']);
console.log(`editors complete ${events.length} event names and the props of 'search'`);

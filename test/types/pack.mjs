/**
 * `npm run test:types`, on the package as it would be published: packs it (`npm pack`), checks the tarball with
 * @arethetypeswrong/cli (node10, node16 from ESM and CJS, bundler), then unpacks it into a scratch app's
 * node_modules and compiles the consumer in `consumer/` under `nodenext` and `bundler` with `skipLibCheck: true`
 * (the setting that turns unresolved declarations into a silent `any`). Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

const scratch = mkdtempSync(join(tmpdir(), 'journey-types-'));
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root }).toString(),
  );
  const tarball = join(scratch, packed.filename);
  run(bin('attw'), [tarball, '--format', 'table-flipped']);

  const modules = join(scratch, 'node_modules');
  mkdirSync(modules);
  run('tar', ['-xzf', tarball, '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, packed.name));
  const consumer = fileURLToPath(new URL('consumer', import.meta.url));
  for (const file of readdirSync(consumer)) cpSync(join(consumer, file), join(scratch, file));
  for (const mode of ['nodenext', 'bundler']) {
    run(bin('tsc'), ['-p', join(scratch, `tsconfig.${mode}.json`)]);
    console.log(`consumer compiles under ${mode}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

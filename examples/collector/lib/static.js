import { createReadStream, realpathSync, statSync } from 'node:fs';
import { BASE_HEADERS } from './headers.js';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** @param {string} root @param {string} path */
const inside = (root, path) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Send a file from `root`; `rel` is the URL path below it (directories get index.html).
 * Anything that resolves outside `root` is a 404, as is a missing file: the check runs on real
 * paths, so a symlink inside the root that points out of it is refused too.
 * @param {import('node:http').ServerResponse} res
 * @param {string} root @param {string} rel
 * @returns {boolean} false when there is no such file
 */
export const sendFile = (res, root, rel) => {
  let path;
  let st;
  try {
    const real = realpathSync(root);
    path = normalize(join(real, decodeURIComponent(rel)));
    if (!inside(real, path)) return false;
    st = statSync(path);
    if (st.isDirectory()) (path = join(path, 'index.html')), (st = statSync(path));
    path = realpathSync(path);
    if (!inside(real, path)) return false;
    // The real path's own stat: the one above may have followed a link to a file of another size.
    st = statSync(path);
  } catch {
    return false;
  }
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': TYPES[/** @type {keyof TYPES} */ (extname(path))] ?? 'application/octet-stream',
    'content-length': st.size,
    'cache-control': 'no-cache',
  });
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
};

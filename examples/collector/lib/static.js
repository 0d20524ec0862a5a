import { createReadStream, statSync } from 'node:fs';
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

/**
 * Send a file from `root`; `rel` is the URL path below it (directories get index.html).
 * Anything that resolves outside `root` is a 404, as is a missing file.
 * @param {import('node:http').ServerResponse} res
 * @param {string} root @param {string} rel
 * @returns {boolean} false when there is no such file
 */
export const sendFile = (res, root, rel) => {
  let path;
  try {
    path = normalize(join(root, decodeURIComponent(rel)));
  } catch {
    return false;
  }
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  let st;
  try {
    st = statSync(path);
    if (st.isDirectory()) (path = join(path, 'index.html')), (st = statSync(path));
  } catch {
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES[/** @type {keyof TYPES} */ (extname(path))] ?? 'application/octet-stream',
    'content-length': st.size,
    'cache-control': 'no-cache',
  });
  createReadStream(path).on('error', () => res.destroy()).pipe(res);
  return true;
};

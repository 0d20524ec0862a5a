export const MAX_BODY = 1_000_000;

/**
 * Read a request body up to `max` bytes. Over it, resolves `undefined` at once (the caller answers
 * 413) and keeps discarding the rest, so the client gets the answer instead of a reset connection.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [max]
 * @returns {Promise<string | undefined>}
 */
export const readBody = (req, max = MAX_BODY) =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > max) {
      req.resume();
      return resolve(undefined);
    }
    /** @type {Buffer[]} */
    const parts = [];
    let size = 0;
    const onData = (/** @type {Buffer} */ b) => {
      size += b.length;
      if (size > max) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
      } else parts.push(b);
    };
    req.on('data', onData);
    // A beacon's body mostly arrives in one piece: decoded where it lies, not copied first.
    req.on('end', () => resolve((parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8')));
    req.on('error', reject);
  });

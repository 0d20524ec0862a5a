// Answers every route shares: JSON and HTML with their length known (one write, not chunks).
import { BASE_HEADERS } from './headers.js';

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
export const json = (res, status, body, headers = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
};

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} page @param {Record<string, string>} [headers] */
export const html = (res, status, page, headers = {}) => {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(page)),
    ...headers,
  });
  res.end(page);
};

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} location @param {Record<string, string>} [headers] */
export const redirect = (res, status, location, headers = {}) => {
  res.writeHead(status, { ...BASE_HEADERS, location, 'content-length': '0', ...headers });
  res.end();
};

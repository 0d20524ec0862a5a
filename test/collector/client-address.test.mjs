import { describe, expect, it } from 'vitest';
import { createClientAddress, parseTrusted } from '../../examples/collector/lib/client-address.js';

const req = (peer, headers = {}) => ({ socket: { remoteAddress: peer }, headers });

describe('client address', () => {
  const who = createClientAddress(parseTrusted('loopback, 10.0.0.0/8'));

  it('takes the first untrusted hop from the right: what a visitor writes on the left counts for nothing', () => {
    expect(who(req('::ffff:127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' })).ip).toBe('198.51.100.4');
    expect(who(req('127.0.0.1', { 'x-forwarded-for': '198.51.100.4, 10.1.2.3' })).ip).toBe('198.51.100.4');
  });

  it("reads Forwarded (RFC 7239) with IPv6 and ports, and the visitor's scheme", () => {
    const w = who(req('127.0.0.1', { forwarded: 'for="[2001:db8::1]:443";proto=https' }));
    expect(w).toMatchObject({ ip: '2001:db8::1', trusted: true, https: true });
  });

  it('believes no header from a peer it does not trust, and calls it proxied', () => {
    expect(who(req('203.0.113.9', { 'x-forwarded-for': '198.51.100.4', 'x-forwarded-proto': 'https' }))).toMatchObject({
      ip: '203.0.113.9',
      proxied: true,
      trusted: false,
      https: false,
    });
    expect(createClientAddress(parseTrusted(undefined))(req('127.0.0.1', { 'x-real-ip': '1.2.3.4' }))).toMatchObject({
      ip: '127.0.0.1',
      proxied: true,
    });
  });

  it('refuses a list it cannot read', () => {
    expect(() => parseTrusted('10.0.0/8')).toThrow(/JOURNEY_TRUST_PROXY/);
    expect(() => parseTrusted('10.0.0.0/33')).toThrow(/JOURNEY_TRUST_PROXY/);
    expect(() => parseTrusted('proxy.internal')).toThrow(/JOURNEY_TRUST_PROXY/);
  });
});

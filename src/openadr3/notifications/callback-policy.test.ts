/**
 * The webhook callback policy: which URLs are refused before any connection, which addresses count as
 * non-public, and that a name resolving to a private address is refused when the connection is made.
 */
import { describe, expect, it } from 'vitest';
import {
  callbackPolicyHint,
  callbackUrlRefusal,
  guardedLookup,
  isNonPublicAddress,
  STRICT_CALLBACK_POLICY,
} from './callback-policy.js';
import { postWebhook } from './webhook-post.js';

describe('the webhook callback policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2606:4700::1111', false],
    ['not-an-address', true],
  ])('%s is non-public: %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it.each([
    ['https://hooks.example.org/adr', undefined],
    ['http://hooks.example.org/adr', 'must use https'],
    ['ftp://hooks.example.org/adr', 'must use https'],
    ['hooks.example.org/adr', 'is not an absolute URL'],
    ['https://user:pw@hooks.example.org/adr', 'must not carry credentials (use the bearerToken)'],
    ['https://localhost/adr', 'points at this machine (localhost)'],
    ['https://api.localhost/adr', 'points at this machine (localhost)'],
    ['https://127.0.0.1:8443/adr', 'points at a non-public address (127.0.0.1)'],
    ['https://[::1]/adr', 'points at a non-public address (::1)'],
    ['https://169.254.169.254/latest/meta-data', 'points at a non-public address (169.254.169.254)'],
  ])('the strict policy on %s: %s', (url, refusal) => {
    expect(callbackUrlRefusal(url, STRICT_CALLBACK_POLICY)).toBe(refusal);
  });

  it('allows plain http and private networks only when told to, and names the settings', () => {
    const open = { allowHttp: true, allowPrivateNetworks: true };
    expect(callbackUrlRefusal('http://127.0.0.1:9000/hook', open)).toBeUndefined();
    expect(callbackUrlRefusal('ftp://127.0.0.1/hook', open)).toBe('must use http or https');
    expect(callbackUrlRefusal('http://10.0.0.1/hook', { ...open, allowPrivateNetworks: false })).toBe(
      'points at a non-public address (10.0.0.1)',
    );
    expect(callbackPolicyHint(STRICT_CALLBACK_POLICY)).toContain(
      'openadr3.notifications.webhooks.allowHttp or openadr3.notifications.webhooks.allowPrivateNetworks',
    );
    expect(callbackPolicyHint(open)).toBe('give a public https URL');
  });

  it('refuses a name that resolves to a private address when connecting', async () => {
    const lookup = guardedLookup({ allowHttp: true, allowPrivateNetworks: false });
    expect(lookup).toBeDefined();
    // `localhost` resolves to loopback: the connection fails before anything is sent.
    const sent = postWebhook({
      url: 'http://localhost:9/hook',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      timeoutMs: 5_000,
      lookup,
    });
    await expect(sent).rejects.toMatchObject({ code: 'TENET_NON_PUBLIC_ADDRESS' });
    expect(guardedLookup({ allowHttp: true, allowPrivateNetworks: true })).toBeUndefined();
  });
});

/**
 * Which webhook callback URLs the VTN will POST to. A subscription's callbackUrl is chosen by a client,
 * so without a policy any VEN could make the VTN call its own network: the cloud metadata service, an
 * admin port on loopback, a database next to it (server-side request forgery). By default only HTTPS to
 * public addresses is allowed; a test bench or a private deployment opts in to plain HTTP and private
 * networks. The address check runs when the connection is made, on the address actually dialled, so a
 * name that resolves differently later (DNS rebinding) is caught too.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface CallbackPolicy {
  /** Plain `http:` callbacks (the notification and its bearer token then travel unencrypted). */
  readonly allowHttp: boolean;
  /** Loopback, private, link-local, carrier-grade NAT and other non-public addresses. */
  readonly allowPrivateNetworks: boolean;
}

export const STRICT_CALLBACK_POLICY: CallbackPolicy = { allowHttp: false, allowPrivateNetworks: false };

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is outside the public internet (IPv4-mapped IPv6 judged by its IPv4 part). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return NON_PUBLIC.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why a callback URL is refused before any connection, or undefined when it may be tried: a URL that
 * does not parse, a scheme other than https (or http when allowed), credentials in the URL, or a host
 * that is a non-public address or `localhost` when private networks are not allowed.
 */
export function callbackUrlRefusal(url: string, policy: CallbackPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (parsed.protocol !== 'https:' && !(policy.allowHttp && parsed.protocol === 'http:'))
    return policy.allowHttp ? 'must use http or https' : 'must use https';
  if (parsed.username !== '' || parsed.password !== '')
    return 'must not carry credentials (use the bearerToken)';
  if (policy.allowPrivateNetworks) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points at this machine (localhost)';
  if (isIP(host) !== 0 && isNonPublicAddress(host)) return `points at a non-public address (${host})`;
  return undefined;
}

/** The refusal's hint: the setting that would allow it. */
export function callbackPolicyHint(policy: CallbackPolicy): string {
  const settings = [
    ...(policy.allowHttp ? [] : ['openadr3.notifications.webhooks.allowHttp']),
    ...(policy.allowPrivateNetworks ? [] : ['openadr3.notifications.webhooks.allowPrivateNetworks']),
  ];
  return `give a public https URL${settings.length === 0 ? '' : `; the operator can allow others with ${settings.join(' or ')}`}`;
}

/**
 * A DNS lookup for http(s).request that fails the connection when the name resolves to a non-public
 * address and the policy does not allow private networks.
 */
export function guardedLookup(policy: CallbackPolicy): LookupFunction | undefined {
  if (policy.allowPrivateNetworks) return undefined;
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) {
        callback(error, '', 4);
        return;
      }
      const refused = addresses.find((a) => isNonPublicAddress(a.address));
      if (refused !== undefined) {
        const failure = Object.assign(
          new Error(`${hostname} resolves to a non-public address (${refused.address})`),
          { code: 'TENET_NON_PUBLIC_ADDRESS' },
        );
        callback(failure, '', 4);
        return;
      }
      if (options.all === true) callback(null, addresses);
      else {
        const first = addresses[0] as LookupAddress;
        callback(null, first.address, first.family);
      }
    });
  };
}

/**
 * subjectAltName entries for a server certificate (RFC 5280 4.2.1.6): a host is either an IP address,
 * written as its 4 or 16 bytes in an iPAddress entry, or a DNS name in a dNSName entry. TLS clients match
 * the name they connected to against these entries, not against the common name.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { TeError } from '../../core/errors.js';
import { sequence, tlv } from './der.js';

const DNS_NAME_TAG = 0x82; // [2] IMPLICIT IA5String
const IP_ADDRESS_TAG = 0x87; // [7] IMPLICIT OCTET STRING

// Letters, digits and hyphens in labels of at most 63, at most 253 in all; a leading `*.` for a wildcard.
const DNS_NAME =
  /^(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function ipv6Bytes(address: string): number[] {
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  const hexPart = isIPv4(tail) ? address.slice(0, lastColon + 1) + '0:0' : address;
  const [head = '', rest] = hexPart.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const before = groups(head);
  const after = rest === undefined ? [] : groups(rest);
  const zeros = rest === undefined ? [] : new Array<string>(8 - before.length - after.length).fill('0');
  const words = [...before, ...zeros, ...after].map((g) => Number.parseInt(g, 16));
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (isIPv4(tail)) bytes.splice(12, 4, ...ipv4Bytes(tail));
  return bytes;
}

/** Whether `host` can be named in a certificate (an IP address or a DNS name). */
export function isCertificateHost(host: string): boolean {
  return isIPv4(host) || (isIPv6(host) && !host.includes('%')) || (host.length <= 253 && DNS_NAME.test(host));
}

/** The GeneralNames of a subjectAltName extension for these hosts; refuses anything else with its index. */
export function subjectAltNames(hosts: readonly string[], path: string): Buffer {
  if (hosts.length === 0) {
    throw new TeError('TE_ERR_VALIDATION', 'a server certificate needs at least one host', {
      path,
      hint: 'e.g. ["localhost", "127.0.0.1"]',
    });
  }
  const names = hosts.map((host, index) => {
    if (isIPv4(host)) return tlv(IP_ADDRESS_TAG, Buffer.from(ipv4Bytes(host)));
    // A zone id (fe80::1%eth0) is local to one machine and has no place in a certificate.
    if (isIPv6(host) && !host.includes('%')) return tlv(IP_ADDRESS_TAG, Buffer.from(ipv6Bytes(host)));
    if (isCertificateHost(host)) return tlv(DNS_NAME_TAG, Buffer.from(host, 'ascii'));
    throw new TeError(
      'TE_ERR_VALIDATION',
      `${JSON.stringify(host)} is neither an IP address nor a DNS name`,
      {
        path: `${path}/${index}`,
        hint: 'an IPv4 or IPv6 address without brackets or port, or a host name such as sep.example.net',
      },
    );
  });
  return sequence(...names);
}

import ipaddr from 'ipaddr.js';

/** Ranges a public webhook URL may not point into. */
const NON_PUBLIC = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'private',
  'uniqueLocal',
  'carrierGradeNat',
  'reserved',
  'benchmarking',
  'amt',
  'as112',
  'as112v6',
  'deprecated',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
]);

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

export const isIpLiteral = (host: string): boolean => parse(host) !== undefined;

/** Loopback, private, link-local and other addresses that are not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const parsed = parse(address);
  return parsed === undefined ? false : NON_PUBLIC.has(parsed.range());
}

/** Whether `address` is one of `allowed` (addresses or CIDR ranges). */
export function addressAllowed(address: string, allowed: readonly string[]): boolean {
  const parsed = parse(address);
  if (!parsed) return false;
  return allowed.some((entry) => {
    if (entry.includes('/')) {
      try {
        const [range, bits] = ipaddr.parseCIDR(entry);
        const r = range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() ? (range as ipaddr.IPv6).toIPv4Address() : range;
        return r.kind() === parsed.kind() && parsed.match([r, r.kind() === range.kind() ? bits : bits - 96] as [typeof r, number]);
      } catch {
        return false;
      }
    }
    const single = parse(entry);
    return single !== undefined && single.kind() === parsed.kind() && single.toString() === parsed.toString();
  });
}

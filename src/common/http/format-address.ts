import type { AddressInfo } from 'node:net';

/** `host:port` of a bound listener, IPv6 hosts bracketed. */
export function formatAddress(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${host}:${address.port}`;
}

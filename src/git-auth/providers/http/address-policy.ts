import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { HostNotAllowedError } from '../provider-errors';

/** Only public unicast addresses are reachable from user-supplied hosts unless private ones are allowed. */
export function isPublicAddress(address: string): boolean {
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it hides.
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}

/**
 * A DNS lookup for the connection itself that refuses non-public addresses, so a name cannot be re-pointed
 * at an internal address between our check and the connect (DNS rebinding).
 */
export function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused) {
        callback(new HostNotAllowedError(`${hostname} resolves to a non-public address`), '', 0);
        return;
      }
      if (options.all)
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

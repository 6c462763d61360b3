import { isPublicAddress } from './address-policy';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '140.82.112.3', '2606:4700::1111'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback v6', '::1'],
    ['private', '10.0.0.8'],
    ['private', '192.168.1.1'],
    ['private', '172.16.5.4'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['unspecified', '0.0.0.0'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['unique local v6', 'fd00::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['not an address', 'localhost'],
  ])('%s %s is not public', (_kind, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

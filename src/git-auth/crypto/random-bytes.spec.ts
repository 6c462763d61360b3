import { randomBytes, randomToken } from './random-bytes';

describe('randomBytes (pooled)', () => {
  it('hands out the sizes asked for, including across pool refills', () => {
    for (const size of [0, 1, 12, 32, 4000, 4096, 12, 4096])
      expect(randomBytes(size)).toHaveLength(size);
  });

  it('never hands out the same bytes twice: 20,000 IVs over about 60 refills are all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomBytes(12).toString('hex'));
    expect(seen.size).toBe(20_000);
  });

  it('returns copies: changing one does not change the next', () => {
    const first = randomBytes(16);
    first.fill(0);
    const second = randomBytes(16);
    expect(second.equals(Buffer.alloc(16))).toBe(false);
  });

  it('looks random: about half of 800,000 bits are set', () => {
    let ones = 0;
    for (let i = 0; i < 1_000; i++)
      for (const byte of randomBytes(100)) for (let b = byte; b; b >>= 1) ones += b & 1;
    // Binomial(800000, 0.5): the standard deviation is about 447 bits; 10 of them is never reached by chance.
    expect(Math.abs(ones - 400_000)).toBeLessThan(4_470);
  });

  it.each([-1, 1.5, 4097, Number.NaN])('refuses size %p', (size) => {
    expect(() => randomBytes(size)).toThrow(RangeError);
  });
});

describe('randomToken', () => {
  it('is 256 bits in base64url without padding, as RFC 7636 asks of a code verifier', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(randomToken()).not.toBe(token);
  });
});

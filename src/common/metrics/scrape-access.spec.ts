import { ScrapeAccess } from './scrape-access';

describe('ScrapeAccess', () => {
  const TOKEN = 'a-scrape-token-0123456789';

  it('with a token, lets only its bearer through', () => {
    const access = new ScrapeAccess(TOKEN, true);
    expect(access.allows(`Bearer ${TOKEN}`)).toBe(true);
    expect(access.allows(`bearer   ${TOKEN}`)).toBe(true);
    for (const header of [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN}0`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN} extra`,
      [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`],
    ])
      expect(access.allows(header)).toBe(false);
  });

  it('without a token, is open or closed as configured', () => {
    expect(new ScrapeAccess(undefined, true).allows(undefined)).toBe(true);
    expect(new ScrapeAccess(undefined, false).allows(`Bearer ${TOKEN}`)).toBe(false);
  });
});

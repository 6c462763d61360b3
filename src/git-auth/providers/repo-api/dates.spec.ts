import { ProviderUnavailableError } from '../provider-errors';
import { toUtcTimestamp } from './dates';

describe('toUtcTimestamp', () => {
  it.each([
    ['GitHub (Z)', '2024-05-01T08:30:00Z', '2024-05-01T08:30:00Z'],
    ['GitLab (+02:00, milliseconds)', '2024-05-01T10:30:00.000+02:00', '2024-05-01T08:30:00Z'],
    ['Gitee (+08:00)', '2024-05-01T16:30:00+08:00', '2024-05-01T08:30:00Z'],
    ['Bitbucket (+00:00)', '2024-05-01T08:30:00+00:00', '2024-05-01T08:30:00Z'],
    ['a negative offset across midnight', '2024-04-30T22:30:00-10:00', '2024-05-01T08:30:00Z'],
    ['an offset without ":"', '2024-05-01T09:30:00+0100', '2024-05-01T08:30:00Z'],
  ])('%s', (_case, given, expected) => {
    expect(toUtcTimestamp(given)).toBe(expected);
  });

  it.each([
    ['no zone', '2024-05-01T08:30:00'],
    ['not a date', 'yesterday'],
    ['absent', undefined],
    ['a month 13', '2024-13-01T08:30:00Z'],
  ])('refuses %s as the provider answering nonsense', (_case, given) => {
    expect(() => toUtcTimestamp(given)).toThrow(ProviderUnavailableError);
  });
});

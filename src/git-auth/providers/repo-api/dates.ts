import { ProviderUnavailableError } from '../provider-errors';

/** ISO 8601 with a time zone: `Z` or an offset (`+08:00`, `+0800`), fractions allowed. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A provider's timestamp in its own offset (GitLab `+02:00`, Gitee `+08:00`, Bitbucket `+00:00`) as RFC 3339 in
 * UTC, to the second: `2024-05-01T08:30:00Z`. A value that is not such a timestamp is the provider answering
 * something unusable.
 */
export function toUtcTimestamp(value: unknown): string {
  if (typeof value !== 'string' || !ISO_8601.test(value.trim()))
    throw new ProviderUnavailableError('a commit date is not an ISO 8601 timestamp');
  const normalized = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(normalized);
  if (Number.isNaN(time)) throw new ProviderUnavailableError('a commit date is not a real instant');
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Signs requests the way real callers do: with the official signer of @huaweicloud/huaweicloud-sdk-core
 * (AKSKSigner + BasicCredentials), which is what every Huawei Cloud Node.js SDK client runs.
 */
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder';

export interface SdkSignOptions {
  /** `http://host:port`: the signer signs this host. */
  endpoint: string;
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  /** Serialized by the signer with JSON.stringify: send exactly `JSON.stringify(body)`. */
  body?: unknown;
  ak: string;
  sk: string;
  /** Sent as X-Project-Id, as the SDK's BasicCredentials does. */
  projectId: string;
  /** Signing time; now when absent. */
  date?: Date;
  /** More request headers (X-Repo-Auth), signed like the rest. */
  headers?: Record<string, string>;
}

/** `YYYYMMDDTHHMMSSZ`, the X-Sdk-Date format. */
export function sdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The headers a Huawei Cloud SDK client sends, Authorization included. */
export function sdkSign(options: SdkSignOptions): Record<string, string> {
  const credentials = new BasicCredentials()
    .withAk(options.ak)
    .withSk(options.sk)
    .withProjectId(options.projectId);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'X-Project-Id': options.projectId,
    ...options.headers,
  };
  if (options.date) headers['X-Sdk-Date'] = sdkDate(options.date);
  const request = new HttpRequestBuilder()
    .withEndpoint(`${options.endpoint}${options.path}`)
    .withMethod(options.method)
    .withHeaders(headers)
    .withQueryParams(options.query ?? {})
    .withData(options.body)
    .build();
  return AKSKSigner.sign(request, credentials);
}

/** Path and query as the SDK's HTTP client puts them on the wire. */
export function wirePath(path: string, query: Record<string, string | string[]> = {}): string {
  const pairs = Object.entries(query).flatMap(([key, values]) =>
    (Array.isArray(values) ? values : [values]).map(
      (value) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
    ),
  );
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

/** Lower-case header names, as a server receives them. */
export function asReceived(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

import type { WriteBody } from './provider-api';

/** A form field: text, or a file's bytes. */
export type FormField =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly file: Buffer };

/**
 * A multipart/form-data body, encoded by the platform's own FormData (undici): boundary, escaping of field
 * names and binary parts as the WHATWG spec has them, rather than by hand.
 */
export async function multipartBody(fields: readonly FormField[]): Promise<WriteBody> {
  const form = new FormData();
  for (const field of fields) {
    if ('value' in field) form.append(field.name, field.value);
    else form.append(field.name, new Blob([field.file]), field.name.split('/').at(-1));
  }
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  const contentType = encoded.headers.get('content-type');
  if (!contentType) throw new Error('FormData encoded without a content type');
  return { contentType, bytes: Buffer.from(await encoded.arrayBuffer()) };
}

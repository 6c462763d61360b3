import { generate } from 'selfsigned';

/**
 * A throw-away certificate for fake HTTPS servers on 127.0.0.1: CN=localhost, SAN DNS:localhost and
 * IP:127.0.0.1, valid one day. Kept in memory only; clients trust it by passing `cert` as their CA.
 */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec', // P-256: generated in milliseconds, unlike RSA
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 24 * 3600 * 1000),
    extensions: [
      // Self-signed: the certificate is its own trust anchor, so it must be allowed to sign itself.
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

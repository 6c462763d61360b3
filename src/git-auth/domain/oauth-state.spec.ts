import * as oauth from 'oauth4webapi';
import { pkceChallenge } from './oauth-state';

describe('pkceChallenge', () => {
  it("gives RFC 7636's own example (Appendix B)", () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it("agrees with oauth4webapi's WebCrypto challenge on the verifiers it generates", async () => {
    for (let i = 0; i < 20; i++) {
      const verifier = oauth.generateRandomCodeVerifier();
      expect(pkceChallenge(verifier)).toBe(await oauth.calculatePKCECodeChallenge(verifier));
    }
  });
});

import { escapeHtml, type Params } from './http';

/**
 * The pages a person sees at a fake provider in a browser (the sandbox of `npm run start:local`, the browser
 * tests): sign in as one of the fake's users, then Authorize or Cancel. Plain HTML forms, no script.
 */

/** Where the sign-in form posts (a path no real provider uses, so it cannot shadow one of theirs). */
export const SIGN_IN_PATH = '/-/fake/sign-in';
/** Where the consent page's "Switch user" posts. */
export const SIGN_OUT_PATH = '/-/fake/sign-out';
/** Where the consent form posts. */
export const CONSENT_PATH = '/-/fake/consent';

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;padding-bottom:2rem;background:#f6f8fa;color:#1f2328}
.banner{background:#9a6700;color:#fff;padding:.5rem 1rem;font-weight:600;text-align:center}
main{max-width:26rem;margin:2rem auto 0;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.3rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
select{width:100%;padding:.4rem;font:inherit}
ul{padding-left:1.2rem}
.who{color:#59636e}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;padding:.5rem 1.2rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button.primary{background:#1f883d;border-color:#1a7f37;color:#fff}
.error{color:#d1242f}
`;

function page(provider: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · sandbox ${escapeHtml(provider)}</title>
<style>${STYLE}</style></head>
<body><div class="banner" role="note">Sandbox ${escapeHtml(provider)}: not the real ${escapeHtml(provider)}. Anyone can sign in; for development only.</div>
<main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;
}

const hidden = (params: Params): string =>
  Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');

export function signInPage(
  provider: string,
  users: readonly string[],
  returnTo: string,
  error?: string,
): string {
  const options = users
    .map((u) => `<option value="${escapeHtml(u)}">${escapeHtml(u)}</option>`)
    .join('');
  return page(
    provider,
    `Sign in to ${provider}`,
    `${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}">
${hidden({ return_to: returnTo })}
<label for="login">Sandbox user</label>
<select id="login" name="login">${options}</select>
<p class="who">No password: the sandbox trusts whoever picks a user.</p>
<div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>`,
  );
}

export function consentPage(
  provider: string,
  details: {
    appName: string;
    username: string;
    scopes: readonly string[];
    redirectTo: string;
    /** This page's own path and query, to come back to after switching user. */
    here: string;
  },
  form: Params,
): string {
  const scopes =
    details.scopes.length > 0
      ? `<p>It asks for:</p><ul>${details.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>`
      : '<p>It asks for the permissions set on the application.</p>';
  return page(
    provider,
    `Authorize ${details.appName}`,
    `<p><strong>${escapeHtml(details.appName)}</strong> wants to access your ${escapeHtml(provider)} account
<strong>${escapeHtml(details.username)}</strong>.</p>
${scopes}
<p class="who">You will be sent back to ${escapeHtml(details.redirectTo)}</p>
<form method="post" action="${CONSENT_PATH}">
${hidden(form)}
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</div>
</form>
<form method="post" action="${SIGN_OUT_PATH}">
${hidden({ return_to: details.here })}
<p class="who">Not ${escapeHtml(details.username)}? <button type="submit">Switch user</button></p>
</form>`,
  );
}

// The OAuth callback page. It reads `code` and `state` from its own address and removes them from it at once,
// asks the service which flow the state belongs to (project, repo type, tag), lets the person name the
// authorization, and completes it through the public oauth operation, as any client would. The code, the state
// and a pasted X-Auth-Token live in this script's variables only: never in the address bar, the history, the
// page's HTML or the browser's storage.
'use strict';

(function callbackPage() {
  const config = JSON.parse(document.getElementById('page-config').textContent);
  const $ = (id) => document.getElementById(id);

  const query = new URLSearchParams(window.location.search);
  const flow = {
    code: query.get('code'),
    state: query.get('state'),
    error: query.get('error'),
    errorDescription: query.get('error_description'),
  };
  if (window.location.search !== '' || window.location.hash !== '') {
    window.history.replaceState(null, '', window.location.pathname);
  }

  /** Resolved against this page (…/oauth/callback), so a path prefix in front of the service still works. */
  const apiUrl = (path) => new URL(path, window.location.href).href;

  const STATUS = { 0: 'normal', 1: 'expired', 2: 'not authenticated' };

  /** What each SVCSTG code means for the person on this page. */
  const PLAIN_WORDS = {
    'SVCSTG.REPO.0400': (e) => `Something in the request is not valid: ${e.error_msg}.`,
    'SVCSTG.REPO.0401': () => 'This kind of repository is not supported by this service.',
    'SVCSTG.REPO.0402': () =>
      'This authorization can no longer be completed: it was already used, it expired, or the provider ' +
      'refused its code. Start the authorization again.',
    'SVCSTG.REPO.0403': (e, ctx) =>
      `The project already has an authorization named "${ctx.name}". Choose another name.`,
    'SVCSTG.REPO.0410': () =>
      'The service did not accept your X-Auth-Token. Paste a valid, unexpired token and try again.',
    'SVCSTG.REPO.0411': (e, ctx) =>
      `Your X-Auth-Token does not give access to project ${ctx.project}. Use a token for that project.`,
    'SVCSTG.REPO.0429': () =>
      'Too many authorizations were created in this project in the last minute. Wait a minute, then try again.',
    'SVCSTG.REPO.0453': (e, ctx) =>
      `This service has no OAuth application configured for ${ctx.provider}. Ask its operator.`,
    'SVCSTG.REPO.0502': (e, ctx) =>
      `${ctx.provider} could not be reached, failed, or refused this service's request. Start again later; ` +
      'if it keeps happening, tell the operator.',
    'SVCSTG.REPO.0503': () => 'The service is unavailable for a moment. Try again shortly.',
    'SVCSTG.REPO.0504': (e, ctx) => `${ctx.provider} did not answer in time. Start again.`,
  };
  /** Errors after which the same state can still complete the flow: the form stays. */
  const RETRYABLE = new Set([
    'SVCSTG.REPO.0400',
    'SVCSTG.REPO.0403',
    'SVCSTG.REPO.0410',
    'SVCSTG.REPO.0411',
    'SVCSTG.REPO.0429',
    'SVCSTG.REPO.0503',
  ]);

  const context = { name: '', project: '', provider: 'The provider' };

  function say(text) {
    $('status').textContent = text;
    $('status').hidden = text === '';
  }

  function showError(error) {
    const explain = PLAIN_WORDS[error.error_code];
    $('error-text').textContent = explain ? explain(error, context) : error.error_msg;
    $('error-code').textContent = `${error.error_code}: ${error.error_msg}`;
    $('error').hidden = false;
  }

  function hideError() {
    $('error').hidden = true;
  }

  /** JSON from the service; a non-SVCSTG failure (network, proxy page) becomes one in the same shape. */
  async function call(method, path, body, token) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['x-auth-token'] = token;
    let response;
    try {
      response = await fetch(apiUrl(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return {
        ok: false,
        error: { error_code: 'network', error_msg: 'The service did not answer' },
      };
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data };
    const error =
      data && typeof data.error_code === 'string'
        ? data
        : {
            error_code: `HTTP ${response.status}`,
            error_msg: 'Unexpected answer from the service',
          };
    return { ok: false, error };
  }

  function providerName(repoType) {
    return config.providers[repoType] || repoType;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  }

  function showAuthorization(a) {
    const dl = $('authorization');
    dl.replaceChildren();
    const fields = [
      ['Name', a.name],
      ['Provider', `${providerName(a.repo_type)} (${a.repo_host})`],
      ['Account', a.repo_user],
      ['Kind', a.token_type],
      ['Status', STATUS[a.status] || String(a.status)],
    ];
    for (const [term, value] of fields) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dl.append(dt, dd);
    }
  }

  function showList(list, created) {
    const body = $('list').tBodies[0];
    body.replaceChildren();
    for (const a of list.authorizations) {
      const tr = row([
        a.name,
        providerName(a.repo_type) + (a.tag ? ` (${a.tag})` : ''),
        a.repo_user,
        a.token_type,
        STATUS[a.status] || String(a.status),
        new Date(a.create_time).toLocaleString(),
      ]);
      if (a.name === created) tr.className = 'new';
      body.appendChild(tr);
    }
  }

  async function complete(binding) {
    const form = $('form');
    const name = $('name');
    const tokenInput = $('token');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      hideError();
      if (!form.reportValidity()) return;
      const token = config.callerToken === 'x-auth-token' ? tokenInput.value.trim() : '';
      context.name = name.value;
      $('submit').disabled = true;
      say('Completing the authorization…');
      const tag = binding.tag ? `?tag=${encodeURIComponent(binding.tag)}` : '';
      const base = `../v1/${encodeURIComponent(binding.project_id)}/git/auths`;
      const created = await call(
        'POST',
        `${base}/${encodeURIComponent(binding.repo_type)}/oauth${tag}`,
        { name: name.value, code: flow.code, state: flow.state },
        token,
      );
      if (!created.ok) {
        say('');
        showError(created.error);
        if (RETRYABLE.has(created.error.error_code)) $('submit').disabled = false;
        else form.hidden = true;
        return;
      }
      // Spent: nothing secret is kept once the authorization exists.
      flow.code = null;
      flow.state = null;
      form.hidden = true;
      showAuthorization(created.data.authorization);
      const list = await call('GET', base, undefined, token);
      tokenInput.value = '';
      $('list-title').textContent = `Authorizations of project ${binding.project_id}`;
      if (list.ok) showList(list.data, created.data.authorization.name);
      else showError(list.error);
      $('result').hidden = false;
      say(`${context.provider} is connected as "${created.data.authorization.name}".`);
    });
  }

  async function start() {
    if (config.docs) {
      $('docs-link').href = config.docs;
      $('docs').hidden = false;
    }
    $('name-rule').textContent = `${config.nameRule[0].toUpperCase()}${config.nameRule.slice(1)}.`;
    const namePattern = new RegExp(config.namePattern);
    $('name').addEventListener('input', (event) => {
      const ok = namePattern.test(event.target.value);
      event.target.setCustomValidity(ok ? '' : `${config.nameRule}.`);
    });

    const binding = flow.state ? await call('POST', 'callback/flow', { state: flow.state }) : null;
    if (binding && binding.ok) context.provider = providerName(binding.data.repo_type);

    if (flow.error) {
      say('');
      const denied = flow.error === 'access_denied';
      const detail = flow.errorDescription ? ` (${flow.errorDescription})` : '';
      showError({
        error_code: flow.error,
        error_msg: denied
          ? `You cancelled at ${context.provider}: nothing was connected${detail}.`
          : `${context.provider} did not authorize the connection: ${flow.error}${detail}.`,
      });
      return;
    }
    if (!flow.code || !flow.state) {
      say(
        'This page completes an OAuth authorization: a git provider sends you here after you approve ' +
          "access. Start with the service's redirect operation (showRedirectUrl) and open the URL it returns.",
      );
      return;
    }
    if (!binding.ok) {
      say('');
      showError(binding.error);
      return;
    }
    if (config.callerToken === 'unavailable') {
      say('');
      showError({
        error_code: 'no X-Auth-Token',
        error_msg:
          'This service accepts only AK/SK signatures, which a browser page cannot make. Ask its operator ' +
          'to configure X-Auth-Token (AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET) to use this page.',
      });
      return;
    }
    context.project = binding.data.project_id;
    $('intro').textContent =
      `Name the authorization of your ${context.provider} account in project ${binding.data.project_id}` +
      (binding.data.tag ? ` (site ${binding.data.tag}).` : '.');
    $('name').value = `my-${binding.data.repo_type}`;
    if (config.callerToken === 'x-auth-token') {
      $('token-field').hidden = false;
      $('token').required = true;
    }
    say('');
    $('form').hidden = false;
    $('name').focus();
    await complete(binding.data);
  }

  void start();
})();

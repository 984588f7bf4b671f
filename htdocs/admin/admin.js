// Gatehouse admin page (docs/admin.md): talks to ./api/ with fetch.
//
// Every value from the server reaches the page through textContent or an input's
// value, never through innerHTML, so a client or user name cannot become markup.
// Calls that change something send the X-CSRF-Token header that GET api/session
// returned; without a session the API answers 401 and the page goes to the sign-in
// page, which comes back here.
'use strict';

const state = { csrf: null, me: null, clients: [], editing: null };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') opts.headers['X-CSRF-Token'] = state.csrf || '';
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch('api/' + path, opts);
  if (r.status === 401) {
    location.assign('../login?next=/admin');
    throw new ApiError('Signed out', 401);
  }
  if (r.status === 204) return null;
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new ApiError((data && data.error_description) || r.statusText, r.status);
  return data;
}

// el('td', {class: 'x', 'data-label': 'Name'}, 'text', child...): text is text.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// A table cell: its label shows beside the content when the table becomes cards.
function cell(label, cls, ...children) {
  return el('td', { 'data-label': label, class: cls }, el('div', { class: 'cell' }, ...children));
}

function button(label, onclick, kind) {
  return el('button', { type: 'button', class: 'button button-small ' + (kind || 'button-secondary'), onclick }, label);
}

function when(epoch) {
  if (!epoch) return '—';
  return new Date(epoch * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

let toastTimer = null;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

function fail(e) {
  if (e instanceof ApiError && e.status === 401) return;
  toast('Failed: ' + e.message);
}

function fatal(text) {
  $('loading').hidden = true;
  $('fatal-text').textContent = text;
  $('fatal').hidden = false;
}

// ---------------------------------------------------------------- dialogs

function openDialog(id) {
  const d = $(id);
  const err = d.querySelector('.alert-error');
  if (err) err.hidden = true;
  d.showModal();
}

function dialogError(id, text) {
  const box = $(id);
  box.querySelector('p').textContent = text;
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

document.addEventListener('click', (ev) => {
  const close = ev.target.closest('[data-close]');
  if (close) close.closest('dialog').close();
  const copy = ev.target.closest('[data-copy]');
  if (copy) copyField(copy);
});

async function copyField(btn) {
  const input = $(btn.dataset.copy);
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (e) {
    document.execCommand('copy');
  }
  btn.textContent = 'Copied';
  setTimeout(() => { btn.textContent = 'Copy'; }, 2000);
}

// ------------------------------------------------------------ secret box

function showSecret(label, id, secret) {
  $('secret-label').textContent = label;
  $('secret-id-row').hidden = !id;
  $('secret-id').value = id || '';
  $('secret-value').value = secret;
  $('secret-box').hidden = false;
  $('secret-box').scrollIntoView({ block: 'start' });
  $('secret-value').focus();
  $('secret-value').select();
}

$('secret-done').addEventListener('click', () => {
  $('secret-value').value = '';
  $('secret-id').value = '';
  $('secret-box').hidden = true;
});

// --------------------------------------------------------------- clients

function clientStatus(c) {
  return el('span', { class: 'tag ' + (c.disabled ? 'tag-off' : 'tag-on') },
            c.disabled ? 'disabled' : 'active');
}

function clientRow(c) {
  const actions = el('td', { class: 'row-actions' },
    button('Edit', () => editClient(c)),
    c.client_type === 'confidential' ? button('Rotate secret', () => rotateSecret(c)) : null,
    c.disabled ? button('Enable', () => setClientDisabled(c, false))
               : button('Disable', () => setClientDisabled(c, true), 'button-danger'));
  return el('tr', {},
    cell('Name', 'cell-main', c.client_name),
    cell('Client ID', null, el('code', {}, c.client_id)),
    cell('Type', null, c.client_type + (c.trusted ? ', trusted' : '')),
    cell('Status', 'cell-status', clientStatus(c)),
    actions);
}

async function loadClients() {
  const q = $('client-q').value.trim();
  const data = await api('GET', 'clients' + (q ? '?q=' + encodeURIComponent(q) : ''));
  state.clients = data.clients;
  $('clients-body').replaceChildren(...data.clients.map(clientRow));
  $('clients-empty').hidden = data.clients.length > 0;
  $('clients-empty').textContent = q ? 'No client matches.' : 'No clients yet.';
  $('clients-table').hidden = data.clients.length === 0;
}

const lines = (s) => s.split('\n').map((x) => x.trim()).filter((x) => x);

function readClientForm() {
  const f = $('client-form');
  const body = {
    client_name: f.client_name.value.trim(),
    redirect_uris: lines(f.redirect_uris.value),
    post_logout_redirect_uris: lines(f.post_logout_redirect_uris.value),
    scope: f.scope.value.trim().split(/\s+/).filter((x) => x).join(' '),
    grant_types: [...f.querySelectorAll('input[name=grant_types]:checked')].map((x) => x.value),
    require_pkce: f.require_pkce.checked,
    trusted: f.trusted.checked,
    resource_server: f.resource_server.checked,
    logo_uri: f.logo_uri.value.trim(),
    tos_uri: f.tos_uri.value.trim(),
    policy_uri: f.policy_uri.value.trim(),
    access_token_format: f.access_token_format.value,
    id_token_signed_response_alg: f.id_token_signed_response_alg.value,
  };
  const type = f.querySelector('input[name=client_type]:checked').value;
  if (!state.editing) body.client_type = type;
  if (type === 'confidential') body.token_endpoint_auth_method = f.token_endpoint_auth_method.value;
  return body;
}

function syncClientType() {
  const f = $('client-form');
  const pub = f.querySelector('input[name=client_type]:checked').value === 'public';
  $('c-auth-field').hidden = pub;
  $('c-pkce').disabled = pub;
  if (pub) $('c-pkce').checked = true;
  const cc = f.querySelector('input[value=client_credentials]');
  cc.disabled = pub;
  if (pub) cc.checked = false;
  f.resource_server.disabled = pub;
  if (pub) f.resource_server.checked = false;
}

function fillClientForm(c) {
  const f = $('client-form');
  f.reset();
  f.querySelector('details.more').open = false;
  state.editing = c;
  $('client-dialog-title').textContent = c ? 'Edit ' + c.client_name : 'New client';
  $('client-submit').textContent = c ? 'Save changes' : 'Create client';
  $('c-type-field').hidden = !!c;
  if (c) {
    f.client_name.value = c.client_name;
    f.querySelector(`input[name=client_type][value=${c.client_type}]`).checked = true;
    f.redirect_uris.value = c.redirect_uris.join('\n');
    f.post_logout_redirect_uris.value = c.post_logout_redirect_uris.join('\n');
    f.scope.value = c.scope;
    for (const g of f.querySelectorAll('input[name=grant_types]')) g.checked = c.grant_types.includes(g.value);
    if (c.client_type === 'confidential') f.token_endpoint_auth_method.value = c.token_endpoint_auth_method;
    f.require_pkce.checked = c.require_pkce;
    f.trusted.checked = c.trusted;
    f.resource_server.checked = c.resource_server;
    f.logo_uri.value = c.logo_uri || '';
    f.tos_uri.value = c.tos_uri || '';
    f.policy_uri.value = c.policy_uri || '';
    f.access_token_format.value = c.access_token_format;
    f.id_token_signed_response_alg.value = c.id_token_signed_response_alg;
  }
  syncClientType();
}

function newClient() {
  fillClientForm(null);
  openDialog('client-dialog');
  $('c-name').focus();
}

function editClient(c) {
  fillClientForm(c);
  openDialog('client-dialog');
}

$('client-form').addEventListener('change', (ev) => {
  if (ev.target.name === 'client_type') syncClientType();
});

$('client-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = readClientForm();
  if (!body.client_name) return dialogError('client-error', 'A name is required.');
  try {
    if (state.editing) {
      await api('PUT', 'clients/' + encodeURIComponent(state.editing.client_id), body);
      toast('Saved ' + body.client_name + '.');
    } else {
      const data = await api('POST', 'clients', body);
      if (data.client.client_secret)
        showSecret('Client secret', data.client.client_id, data.client.client_secret);
      else
        toast('Created ' + body.client_name + ' (public: no secret). Client ID ' + data.client.client_id);
    }
    $('client-dialog').close();
    await loadClients();
  } catch (e) {
    if (e.status !== 401) dialogError('client-error', e.message);
  }
});

async function rotateSecret(c) {
  if (!confirm(`Give "${c.client_name}" a new secret? The current secret stops working at once.`)) return;
  try {
    const data = await api('POST', 'clients/' + encodeURIComponent(c.client_id) + '/secret');
    showSecret('New client secret', data.client_id, data.client_secret);
  } catch (e) { fail(e); }
}

async function setClientDisabled(c, disabled) {
  if (disabled && !confirm(`Disable "${c.client_name}"? Its tokens stop working and nobody can sign in to it until it is enabled again.`)) return;
  try {
    await api('POST', 'clients/' + encodeURIComponent(c.client_id) + (disabled ? '/disable' : '/enable'));
    toast((disabled ? 'Disabled ' : 'Enabled ') + c.client_name + '.');
    await loadClients();
  } catch (e) { fail(e); }
}

$('client-new').addEventListener('click', newClient);
$('client-search').addEventListener('submit', (ev) => { ev.preventDefault(); loadClients().catch(fail); });

// ----------------------------------------------------------------- users

function userStatus(u) {
  const tags = [];
  if (u.is_admin) tags.push(el('span', { class: 'tag tag-admin' }, 'admin'));
  tags.push(el('span', { class: 'tag ' + (u.disabled ? 'tag-off' : 'tag-on') }, u.disabled ? 'disabled' : 'active'));
  if (u.locked_for > 0) tags.push(el('span', { class: 'tag tag-warn' }, 'locked'));
  else if (u.failed_logins > 0) tags.push(el('span', { class: 'tag tag-warn' }, u.failed_logins + ' failed'));
  return tags;
}

function userRow(u) {
  const self = state.me && u.id === state.me.id;
  const actions = el('td', { class: 'row-actions' },
    button('Apps & sessions', () => showDetail(u)),
    button('Reset password', () => resetPassword(u)),
    u.locked_for > 0 || u.failed_logins > 0 ? button('Unlock', () => unlockUser(u)) : null,
    u.disabled ? button('Enable', () => setUserDisabled(u, false))
               : self ? null : button('Disable', () => setUserDisabled(u, true), 'button-danger'));
  const who = cell('Name and email', null, u.name || '', u.name && u.email ? el('br') : null,
                   u.email ? el('span', { class: 'muted' }, u.email) : null);
  return el('tr', {},
    cell('Username', 'cell-main', u.username, self ? el('span', { class: 'muted' }, ' (you)') : null),
    who,
    cell('Status', 'cell-status', ...userStatus(u)),
    actions);
}

async function loadUsers() {
  const q = $('user-q').value.trim();
  const data = await api('GET', 'users' + (q ? '?q=' + encodeURIComponent(q) : ''));
  $('users-body').replaceChildren(...data.users.map(userRow));
  $('users-empty').hidden = data.users.length > 0;
  $('users-table').hidden = data.users.length === 0;
}

$('user-new').addEventListener('click', () => {
  $('user-form').reset();
  openDialog('user-dialog');
  $('u-username').focus();
});

$('user-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  const body = { username: f.username.value.trim(), password: f.password.value,
                 name: f.fullname.value.trim(), email: f.email.value.trim(), is_admin: f.is_admin.checked };
  if (!body.username) return dialogError('user-error', 'A username is required.');
  try {
    await api('POST', 'users', body);
    f.reset();
    $('user-dialog').close();
    toast('Created user ' + body.username + '.');
    await loadUsers();
  } catch (e) {
    if (e.status !== 401) dialogError('user-error', e.message);
  }
});

function resetPassword(u) {
  state.passwordFor = u;
  $('password-form').reset();
  $('password-for').textContent = 'For ' + u.username + '. Their sessions stay signed in; end them under Apps & sessions.';
  openDialog('password-dialog');
  $('p-password').focus();
}

$('password-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const u = state.passwordFor;
  try {
    await api('POST', 'users/' + u.id + '/password', { password: ev.target.password.value });
    ev.target.reset();
    $('password-dialog').close();
    toast('Password of ' + u.username + ' changed.');
    await loadUsers();
  } catch (e) {
    if (e.status !== 401) dialogError('password-error', e.message);
  }
});

async function unlockUser(u) {
  try {
    await api('POST', 'users/' + u.id + '/unlock');
    toast(u.username + ' can sign in again.');
    await loadUsers();
  } catch (e) { fail(e); }
}

async function setUserDisabled(u, disabled) {
  if (disabled && !confirm(`Disable ${u.username}? They are signed out everywhere and their apps lose access until the account is enabled again.`)) return;
  try {
    await api('POST', 'users/' + u.id + (disabled ? '/disable' : '/enable'));
    toast((disabled ? 'Disabled ' : 'Enabled ') + u.username + '.');
    await loadUsers();
  } catch (e) { fail(e); }
}

function grantRow(u, g) {
  return el('li', {},
    el('div', { class: 'row-text' }, el('strong', {}, g.client_name),
       el('span', { class: 'muted' }, g.scope), el('span', { class: 'muted' }, 'since ' + when(g.created_at))),
    button('Revoke', async () => {
      if (!confirm(`Revoke the access of "${g.client_name}" to ${u.username}'s account? Its tokens stop working.`)) return;
      try {
        await api('DELETE', 'users/' + u.id + '/grants/' + g.id);
        toast('Access of ' + g.client_name + ' revoked.');
        await loadDetail(u);
      } catch (e) { fail(e); }
    }, 'button-danger'));
}

function sessionRow(u, s) {
  return el('li', {},
    el('div', { class: 'row-text' }, el('strong', {}, s.current ? 'This browser' : 'Signed in ' + when(s.created_at)),
       el('span', { class: 'muted' }, 'last seen ' + when(s.last_seen_at))),
    button('Sign out', async () => {
      if (!confirm(s.current ? 'Sign out this browser (you)?' : `Sign ${u.username} out of this browser?`)) return;
      try {
        await api('DELETE', 'users/' + u.id + '/sessions/' + s.sid);
        if (s.current) { location.assign('../login?next=/admin'); return; }
        toast('Signed out.');
        await loadDetail(u);
      } catch (e) { fail(e); }
    }, 'button-danger'));
}

async function loadDetail(u) {
  const [g, s] = await Promise.all([api('GET', 'users/' + u.id + '/grants'),
                                    api('GET', 'users/' + u.id + '/sessions')]);
  $('grants-list').replaceChildren(...g.grants.map((x) => grantRow(u, x)));
  $('grants-empty').hidden = g.grants.length > 0;
  $('sessions-list').replaceChildren(...s.sessions.map((x) => sessionRow(u, x)));
  $('sessions-empty').hidden = s.sessions.length > 0;
}

async function showDetail(u) {
  $('detail-title').textContent = u.username;
  try {
    await loadDetail(u);
    openDialog('detail-dialog');
  } catch (e) { fail(e); }
}

$('user-search').addEventListener('submit', (ev) => { ev.preventDefault(); loadUsers().catch(fail); });

// ------------------------------------------------------- developer tokens

function tokenRow(t) {
  const live = !t.revoked_at && t.expires_at * 1000 > Date.now();
  return el('tr', {},
    cell('Label', 'cell-main', t.label || '(no label)'),
    cell('Issued', null, when(t.created_at)),
    cell('Expires', null, when(t.expires_at)),
    cell('Last used', null, when(t.last_used_at)),
    cell('Status', 'cell-status', el('span', { class: 'tag ' + (live ? 'tag-on' : 'tag-off') },
                            t.revoked_at ? 'revoked' : live ? 'active' : 'expired')),
    el('td', { class: 'row-actions' }, live ? button('Revoke', async () => {
      if (!confirm('Revoke this developer token? Clients registered with it stay.')) return;
      try {
        await api('DELETE', 'developer-tokens/' + t.id);
        await loadTokens();
      } catch (e) { fail(e); }
    }, 'button-danger') : null));
}

async function loadTokens() {
  const data = await api('GET', 'developer-tokens');
  $('tokens-body').replaceChildren(...data.developer_tokens.map(tokenRow));
  $('tokens-empty').hidden = data.developer_tokens.length > 0;
  $('tokens-table').hidden = data.developer_tokens.length === 0;
}

$('token-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const days = parseInt($('token-days').value, 10);
  try {
    const data = await api('POST', 'developer-tokens',
                           { label: $('token-label').value.trim(), expires_in: days * 86400 });
    ev.target.reset();
    showSecret('Developer token', null, data.token);
    await loadTokens();
  } catch (e) { fail(e); }
});

// ------------------------------------------------------------- sections

const loaders = { clients: loadClients, users: loadUsers, tokens: loadTokens };

function showTab() {
  const tab = (location.hash || '#clients').slice(1);
  const name = loaders[tab] ? tab : 'clients';
  for (const t of Object.keys(loaders)) $('panel-' + t).hidden = t !== name;
  for (const a of document.querySelectorAll('[data-tab]')) {
    if (a.dataset.tab === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  loaders[name]().catch(fail);
}

window.addEventListener('hashchange', showTab);

async function start() {
  let session;
  try {
    session = await api('GET', 'session');
  } catch (e) {
    if (e.status === 403) fatal('Your account is not an administrator. Sign out and sign in with an administrator account.');
    else if (e.status !== 401) fatal('The admin page cannot reach Gatehouse: ' + e.message);
    if (e.status === 403) $('who').hidden = false;
    return;
  }
  state.csrf = session.csrf_token;
  state.me = session.user;
  $('who-name').textContent = session.user.name || session.user.username;
  $('account-link').href = session.account_url;
  $('logout-link').href = session.logout_url;
  $('who').hidden = false;
  $('tabs').hidden = false;
  $('loading').hidden = true;
  showTab();
}

start();

import { html, raw } from 'hono/html';
import type { Business } from '../../domain/booking/business';
import { REFERENCE_LENGTH } from '../../domain/booking/reference';
import { pageTexts } from './page-texts';

/**
 * The web chat page: no framework, no build step. Readable on a phone, usable from the keyboard and a screen reader,
 * replies shown as they arrive (server-sent events), a held slot with a live countdown and every upcoming booking with
 * its reference and a signed link back to this chat from another tab or device. Embeddable as an iframe (it survives
 * blocked storage there). All text from the server is inserted as text, never as HTML. Its words are in
 * ./page-texts.ts, in the business's language first and then the conversation's.
 *
 * Hooks the browser tests (and anyone embedding the page) rely on: `#greeting` says what the assistant can do; `#log`
 * holds one `.msg` per line with the role as a class and `data-role`; `#hold` (`data-state="held"|"expired"`) shows
 * the hold and `#countdown` its remaining seconds in `data-seconds`; `#booking` lists the upcoming confirmed bookings
 * (`#booking-list li[data-booking-id][data-reference]`; its own `data-booking-id` is the latest one) and
 * `#manage-link` the way back; `html[lang]` is the language shown.
 *
 * `resume`: a session reopened from a manage link (GET /manage/<token>): the page takes it as its own and drops the
 * token from the address bar.
 */
export function chatPage(business: Business, options: { resume?: string } = {}) {
  // Ids in the conversation state are shown by their names; the names are the business's own (public) words.
  const names = {
    services: Object.fromEntries(business.services.map((s) => [s.id, { en: s.name, es: s.names.es ?? s.name }])),
    providers: Object.fromEntries(business.providers.map((p) => [p.id, p.name])),
  };
  const texts = pageTexts(business);
  const t = texts[business.locale];
  return html`<!doctype html>
<html lang="${business.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title data-t="title">${t.title}</title>
<style>
  :root { --fg:#1b1f24; --muted:#56606b; --accent:#0a58e6; --bg:#f6f7f9; --card:#fff; --line:#dde1e6;
          --hold:#fff6da; --hold-line:#e6cf85; --ok:#e5f6ec; --ok-line:#9fd3b2; }
  @media (prefers-color-scheme: dark) {
    :root { --fg:#e8eaed; --muted:#a4acb6; --accent:#5b9bff; --bg:#15181c; --card:#20252b; --line:#323941;
            --hold:#3a3220; --hold-line:#6b5a2a; --ok:#1d3326; --ok-line:#336b47; }
  }
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  body { margin:0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
  main { max-width: 40rem; margin: 0 auto; height: 100vh; height: 100dvh; display:flex; flex-direction:column; }
  header, form { flex: 0 0 auto; }
  header { padding: .5rem 1rem; background:var(--card); border-bottom:1px solid var(--line); }
  header h1 { font-size:1.1rem; margin:0; }
  header p { margin:0; color:var(--muted); font-size:.9rem; }
  /* The transcript takes what the panels leave and never less than a few lines; it stays scrolled to the newest line. */
  #log { flex:1 1 0; min-height: 7.5rem; overflow-y:auto; padding:1rem; display:flex; flex-direction:column; gap:.5rem; overscroll-behavior: contain; }
  .msg { max-width: 85%; padding:.55rem .8rem; border-radius: .9rem; white-space: pre-wrap; overflow-wrap: anywhere; margin:0; }
  .customer { align-self:flex-end; background:var(--accent); color:#fff; border-bottom-right-radius:.25rem; }
  .assistant, .operator, .notice, .greeting { align-self:flex-start; background:var(--card); border:1px solid var(--line); border-bottom-left-radius:.25rem; }
  .operator { border-left: 4px solid var(--accent); }
  .notice { color: var(--muted); font-style: italic; }
  .msg .status { display:block; font-size:.75rem; opacity:.8; margin-top:.2rem; }
  .msg[data-status="sending"] { opacity: .75; }
  .msg[data-ack="pending"] { font-style: italic; }
  .msg[data-status="failed"], .msg[data-status="failed"] .who { background: #fff; color: #b42318; border-color: #b42318; }
  .msg[data-status="failed"] { border: 1px solid #b42318; }
  .who { display:block; font-size:.75rem; font-weight:600; color:var(--muted); }
  .customer .who { color: #dfe8ff; }
  #typing { align-self:flex-start; color:var(--muted); font-size:.9rem; padding: 0 1rem; }
  /* Panels give way before the transcript and the composer do: when the screen is short they scroll inside. */
  .panel { flex: 0 1 auto; min-height: 2.5rem; margin: 0 .75rem .4rem; padding:.4rem .75rem; border-radius:.6rem; border:1px solid; overflow-y: auto; }
  .panel h2 { font-size: .95rem; margin: 0; }
  .panel-head { display:flex; flex-wrap:wrap; justify-content:space-between; align-items:baseline; column-gap:.75rem; }
  .panel-head p { font-size:.9rem; }
  .panel p { margin: 0; }
  #hold { background:var(--hold); border-color:var(--hold-line); }
  #hold[data-state="expired"] { opacity:.8; }
  #countdown { font-variant-numeric: tabular-nums; font-weight:700; }
  #booking { background:var(--ok); border-color:var(--ok-line); }
  #booking-list { list-style: none; margin: 0; padding: 0; }
  #booking-list li { padding: .15rem 0; }
  #booking-list li + li { border-top: 1px solid var(--ok-line); }
  .ref { font-size: .8rem; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
  .manage { display:flex; align-items:center; gap:.5rem; margin-top:.25rem; font-size:.85rem; }
  .manage a { flex: 1; color: var(--accent); }
  .manage button { flex: 0 0 auto; min-height: 32px; padding: .15rem .6rem; font-size:.85rem; }
  .actions { display:flex; gap:.5rem; margin-top:.3rem; flex-wrap: wrap; }
  .actions button { min-height: 40px; padding: .35rem 1rem; }
  form { display:flex; gap:.5rem; padding:.75rem; padding-bottom: max(.75rem, env(safe-area-inset-bottom)); background:var(--card); border-top:1px solid var(--line); }
  #email-form { padding:.35rem .75rem; border-top:0; border-bottom:1px solid var(--line); flex-wrap: wrap; }
  #email-form button { min-height: 36px; padding: .3rem .8rem; }
  #email-status:empty { display:none; }
  input[type=text], input[type=email] { flex:1; min-width:0; font:inherit; padding:.6rem .8rem; border:1px solid var(--line); border-radius:.5rem; background:var(--bg); color:var(--fg); }
  #email { padding:.35rem .7rem; font-size:.9rem; }
  button { font:inherit; padding:.55rem 1rem; min-height:44px; border:0; border-radius:.5rem; background:var(--accent); color:#fff; cursor:pointer; }
  button.secondary { background: transparent; color: var(--fg); border:1px solid var(--line); }
  button:disabled { opacity:.6; cursor: progress; }
  :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
  [hidden] { display:none !important; }
  .sr-only { position:absolute; width:1px; height:1px; padding:0; margin:-1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; border:0; }
</style>
</head>
<body>
<main>
  <header>
    <h1>${business.name}</h1>
    <p data-t="tagline">${t.tagline}</p>
  </header>
  <form id="email-form" autocomplete="on" novalidate>
    <label for="email" class="sr-only" data-t="emailLabel">${t.emailLabel}</label>
    <input id="email" name="email" type="email" maxlength="254" autocomplete="email" data-t-placeholder="emailPlaceholder" placeholder="${t.emailPlaceholder}">
    <button id="email-save" type="submit" class="secondary" data-t="save">${t.save}</button>
    <span id="email-status" role="status"></span>
  </form>
  <div id="log" role="log" aria-live="polite" aria-relevant="additions" data-t-aria="log" aria-label="${t.log}" tabindex="0"><p id="greeting" class="msg greeting"><span class="who" data-t="greetingWho">${t.greetingWho}</span><span data-t="greeting">${t.greeting}</span></p></div>
  <div id="typing" aria-hidden="true" data-t="typing" hidden>${t.typing}</div>
  <section id="hold" class="panel" aria-labelledby="hold-title" data-state="" hidden>
    <div class="panel-head"><h2 id="hold-title" data-t="holdTitle">${t.holdTitle}</h2>
      <p><span id="hold-left-label" data-t="holdLeft">${t.holdLeft}</span>
        <span id="countdown" role="timer" aria-live="off" aria-labelledby="hold-left-label" data-seconds=""></span></p></div>
    <p id="hold-what"></p>
    <div class="actions">
      <button type="button" id="confirm-hold" data-t="confirm">${t.confirm}</button>
      <button type="button" id="release-hold" class="secondary" data-t="release">${t.release}</button>
    </div>
  </section>
  <section id="booking" class="panel" aria-labelledby="booking-title" role="status" hidden>
    <h2 id="booking-title" data-t="bookingsTitle">${t.bookingsTitle}</h2>
    <ul id="booking-list"></ul>
    <p class="manage" hidden><a id="manage-link" href="#" rel="noreferrer" data-t="manage">${t.manage}</a>
      <button type="button" id="copy-manage" class="secondary" data-t="copy">${t.copy}</button><span id="copy-status" role="status"></span></p>
  </section>
  <form id="composer" autocomplete="off">
    <label for="text" class="sr-only" data-t="composerLabel">${t.composerLabel}</label>
    <input id="text" name="text" type="text" maxlength="2000" enterkeyhint="send" data-t-placeholder="composerPlaceholder" placeholder="${t.composerPlaceholder}" required>
    <button id="send" type="submit" data-t="send">${t.send}</button>
  </form>
</main>
<script>window.__CHAT__ = ${raw(safeJson({ names, locale: business.locale, texts, resume: options.resume ?? null, referenceLength: REFERENCE_LENGTH }))};</script>
<script>${raw(script)}</script>
</body>
</html>`;
}

/** JSON that can sit inside a <script> element: no "</script>", no HTML comment openers, no line separators. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const script = String.raw`
(() => {
  'use strict';
  const cfg = window.__CHAT__;
  let locale = cfg.locale;
  let t = cfg.texts[locale];
  const es = () => locale === 'es';
  const $ = (id) => document.getElementById(id);
  const log = $('log'), typing = $('typing'), form = $('composer'), input = $('text'), send = $('send');
  const holdBox = $('hold'), holdWhat = $('hold-what'), countdown = $('countdown');
  const bookingBox = $('booking'), bookingList = $('booking-list');
  const manageBox = bookingBox.querySelector('.manage'), manageLink = $('manage-link'), copyStatus = $('copy-status');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const shown = new Set();
  let sessionId = null, ticker = null, pending = 0, events = null, lastState = null, manageFor = null;
  // Turns the gateway answered 202 for ("still working"): the typing line stays until their replies arrive.
  let awaiting = 0;
  // Assistant lines seen so far: a 202 that arrives after its turn's reply (the event stream can be quicker than the
  // response) needs no "still working".
  let answers = 0;

  // Storage may be blocked inside a third-party iframe: the chat still works, it just is not kept across reloads.
  const store = {
    get() { try { return sessionStorage.getItem('chatSession'); } catch { return null; } },
    set(v) { try { sessionStorage.setItem('chatSession', v); } catch { /* blocked */ } },
    clear() { try { sessionStorage.removeItem('chatSession'); } catch { /* blocked */ } },
  };

  // The newest line stays in view: while the reader is at the bottom, the log follows every change of its own size
  // (a hold or booking panel opening below it shrinks it) as well as every new line. Scrolled up, it stays put.
  let pinned = true;
  const toBottom = () => { log.scrollTop = log.scrollHeight; };
  log.addEventListener('scroll', () => { pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 24; });
  if (window.ResizeObserver) new ResizeObserver(() => { if (pinned) toBottom(); }).observe(log);
  window.addEventListener('resize', () => { if (pinned) toBottom(); });

  const whoLabel = (role) => ({ customer: es() ? 'Tú' : 'You', assistant: es() ? 'Asistente' : 'Assistant', operator: es() ? 'Equipo' : 'Staff' })[role] || '';
  function add(role, text, at) {
    const key = role + '|' + (at || '') + '|' + text;
    if (at && shown.has(key)) return;
    if (at) shown.add(key);
    const p = document.createElement('p');
    p.className = 'msg ' + role; p.dataset.role = role;
    const label = document.createElement('span'); label.className = 'who'; label.dataset.who = role; label.textContent = whoLabel(role);
    p.appendChild(label); p.appendChild(document.createTextNode(text));
    log.appendChild(p); pinned = true; toBottom();
    return p;
  }

  // Labels follow the conversation's language (the business's until the customer writes in another).
  function applyLocale(next) {
    if (!cfg.texts[next] || next === locale) return;
    locale = next; t = cfg.texts[locale];
    document.documentElement.lang = locale;
    document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t[el.dataset.t]; });
    document.querySelectorAll('[data-t-placeholder]').forEach((el) => { el.placeholder = t[el.dataset.tPlaceholder]; });
    document.querySelectorAll('[data-t-aria]').forEach((el) => { el.setAttribute('aria-label', t[el.dataset.tAria]); });
    document.querySelectorAll('[data-who]').forEach((el) => { el.textContent = whoLabel(el.dataset.who); });
    if (lastState) renderState(lastState);
  }

  // A customer line is marked until the gateway has it: "sending…", then nothing (sent) or why it was not sent.
  function mark(line, status, text) {
    line.dataset.status = status;
    let tag = line.querySelector('.status');
    if (!text) { if (tag) tag.remove(); return; }
    if (!tag) { tag = document.createElement('span'); tag.className = 'status'; line.appendChild(tag); }
    tag.textContent = text;
  }
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  function notice(text) { const p = document.createElement('p'); p.className = 'msg notice'; p.textContent = text; log.appendChild(p); toBottom(); }
  function busy(delta) { pending += delta; showBusy(); }
  function showBusy() { const on = pending > 0 || awaiting > 0; typing.hidden = !on; log.setAttribute('aria-busy', String(on)); }
  // The gateway's "still working" for a slow turn, shown at once; the workflow may send the same words to the
  // transcript a moment later, which then takes this line's place instead of showing twice.
  const acks = [];
  function acknowledge(text) { const p = add('assistant', text); p.dataset.ack = 'pending'; acks.push(p); awaiting += 1; showBusy(); }
  function answered(role, text) {
    if (role !== 'assistant') return false;
    answers += 1; awaiting = 0; showBusy();
    const i = acks.findIndex((p) => p.lastChild.textContent === text);
    if (i < 0) return false;
    acks.splice(i, 1)[0].dataset.ack = 'sent';
    return true;
  }

  const service = (id) => (cfg.names.services[id] && cfg.names.services[id][locale]) || id;
  const provider = (id) => cfg.names.providers[id] || id;
  const when = (iso) => new Date(iso).toLocaleString(es() ? 'es' : undefined, { weekday:'short', day:'numeric', month:'short', hour:'numeric', minute:'2-digit', timeZone: zone });
  const describe = (b) => service(b.service) + (es() ? ' con ' : ' with ') + provider(b.provider) + ', ' + when(b.start);
  const clock = (s) => Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  // The same reference the confirmations give (src/domain/booking/reference.ts).
  const reference = (id) => id.replace(/[^0-9A-Za-z]/g, '').slice(0, cfg.referenceLength).toUpperCase();

  function renderState(state) {
    if (!state) return;
    lastState = state;
    if (state.locale && state.locale !== locale && cfg.texts[state.locale]) return applyLocale(state.locale);
    clearInterval(ticker); ticker = null;
    if (state.hold) {
      const hold = state.hold, until = new Date(hold.expiresAt).getTime();
      holdWhat.textContent = describe(hold);
      holdBox.hidden = false; holdBox.dataset.state = 'held'; holdBox.dataset.bookingId = hold.bookingId;
      const tick = () => {
        const left = Math.max(0, Math.round((until - Date.now()) / 1000));
        countdown.dataset.seconds = String(left);
        countdown.textContent = clock(left);
        if (left === 0) {
          clearInterval(ticker); ticker = null;
          holdBox.dataset.state = 'expired';
          countdown.textContent = es() ? 'caducado' : 'expired';
          setTimeout(refresh, 1500); // the workflow's timer releases the hold and says so
        }
      };
      tick(); ticker = setInterval(tick, 1000);
    } else {
      holdBox.hidden = true; holdBox.dataset.state = ''; countdown.dataset.seconds = '';
    }
    // Every upcoming confirmed booking, earliest first, each with its reference; the panel's own id is the latest.
    const confirmed = (state.bookings || []).filter((b) => b.status === 'confirmed');
    const upcoming = confirmed.filter((b) => new Date(b.end).getTime() > Date.now()).sort((a, b) => a.start.localeCompare(b.start));
    bookingList.replaceChildren(...upcoming.map((b) => {
      const li = document.createElement('li');
      li.dataset.bookingId = b.id; li.dataset.reference = reference(b.id);
      li.appendChild(document.createTextNode(describe(b) + ' '));
      const ref = document.createElement('span'); ref.className = 'ref'; ref.textContent = t.reference + '\u00a0' + reference(b.id);
      li.appendChild(ref);
      return li;
    }));
    if (upcoming.length) {
      bookingBox.dataset.bookingId = confirmed[confirmed.length - 1].id;
      bookingBox.hidden = false;
      showManageLink();
    } else bookingBox.hidden = true;
    if (pinned) toBottom();
  }

  // The signed link back to this chat, asked for once per session and shown with the bookings.
  async function showManageLink() {
    if (manageFor === sessionId) return;
    manageFor = sessionId;
    const r = await fetch('/api/chat/sessions/' + sessionId + '/manage-link').catch(() => null);
    if (!r || !r.ok) { manageFor = null; return; }
    const link = await r.json();
    manageLink.href = location.origin + link.path;
    manageBox.hidden = false;
  }
  $('copy-manage').addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(manageLink.href); copyStatus.textContent = t.copied; }
    catch { copyStatus.textContent = t.copyFailed; }
  });

  async function refresh() {
    if (!sessionId) return;
    try { const r = await fetch('/api/chat/sessions/' + sessionId); if (r.ok) renderState((await r.json()).state); } catch { /* next event refreshes */ }
  }

  async function openSession() {
    // Opened from a manage link: that session is this tab's now, and the token leaves the address bar and history.
    if (cfg.resume) { store.set(cfg.resume); history.replaceState(null, '', '/'); }
    const saved = cfg.resume || store.get();
    if (saved) {
      const r = await fetch('/api/chat/sessions/' + saved).catch(() => null);
      if (r && r.ok) {
        sessionId = saved;
        const v = await r.json();
        v.transcript.forEach((l) => add(l.role, l.text, l.at));
        renderState(v.state);
        return;
      }
      store.clear();
    }
    const r = await fetch('/api/chat/sessions', { method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({ timezone: zone }) });
    if (!r.ok) throw new Error('session ' + r.status);
    sessionId = (await r.json()).sessionId; store.set(sessionId);
  }

  // Every assistant and staff message as it is sent, including the ones no request of ours waits for (staff
  // replies, "your hold ran out"). EventSource reconnects by itself and resumes after the last event id.
  function listen() {
    events = new EventSource('/api/chat/sessions/' + sessionId + '/events');
    events.addEventListener('message', (e) => {
      const m = JSON.parse(e.data);
      if (answered(m.role, m.text)) shown.add(m.role + '|' + m.at + '|' + m.text);
      else add(m.role, m.text, m.at);
      refresh();
    });
  }

  // Sends with one message id, retried on network errors and 5xx (the gateway dedupes by id, so a retry is never a
  // second message); a line shows as sent only once the gateway took it (200 or 202).
  async function say(text) {
    const line = add('customer', text);
    mark(line, 'sending', es() ? 'enviando…' : 'sending…');
    busy(1); send.disabled = true;
    const answersBefore = answers;
    const id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
    try {
      for (let attempt = 0; ; attempt++) {
        let r = null, body = {};
        try {
          r = await fetch('/api/chat/sessions/' + sessionId + '/messages', { method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({ text, clientMessageId: id }) });
          body = await r.json().catch(() => ({}));
        } catch { r = null; }
        if (r && r.status === 200) { mark(line, 'sent'); awaiting = 0; body.replies.forEach((m) => add('assistant', m.text, m.at)); renderState(body.state); return; }
        if (r && r.status === 202) { mark(line, 'sent'); if (body.acknowledgement && answers === answersBefore) acknowledge(body.acknowledgement); return; /* the replies follow on the event stream */ }
        if (r && r.status < 500 && r.status !== 429) {
          mark(line, 'failed', (es() ? 'No enviado: ' : 'Not sent: ') + ((body.error && body.error.message) || r.status));
          if (!input.value) input.value = text;
          return;
        }
        if (attempt >= 6) { mark(line, 'failed', es() ? 'No enviado: sin conexión. Inténtalo de nuevo.' : 'Not sent: no connection. Please try again.'); if (!input.value) input.value = text; return; }
        mark(line, 'sending', es() ? 'reintentando…' : 'retrying…');
        await wait(Math.min(8000, 500 * 2 ** attempt));
      }
    } finally { busy(-1); send.disabled = false; input.focus(); }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !sessionId) return;
    input.value = '';
    say(text);
  });
  // The optional email: checked here for the obvious, validated by the gateway (zod), remembered for this session.
  const emailForm = $('email-form'), emailInput = $('email'), emailStatus = $('email-status');
  emailForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!sessionId) return;
    const email = emailInput.value.trim();
    if (email && !emailInput.checkValidity()) { emailStatus.textContent = es() ? 'Ese correo no parece válido.' : 'That email does not look right.'; return; }
    const r = await fetch('/api/chat/sessions/' + sessionId + '/email', { method:'PUT', headers:{'content-type':'application/json'}, body: JSON.stringify({ email: email || null }) }).catch(() => null);
    const body = r && r.status !== 204 ? await r.json().catch(() => ({})) : {};
    emailStatus.textContent = r && r.status === 204
      ? (email ? (es() ? 'Te enviaremos las confirmaciones a ' + email + '.' : 'Confirmations will go to ' + email + '.') : (es() ? 'Sin correo.' : 'No email.'))
      : ((body.error && body.error.message) || (es() ? 'No se pudo guardar; inténtalo de nuevo.' : 'Could not save; please try again.'));
  });
  $('confirm-hold').addEventListener('click', () => say(es() ? 'sí' : 'yes'));
  $('release-hold').addEventListener('click', () => say('no'));
  window.addEventListener('pagehide', () => events && events.close());

  openSession()
    .then(() => { listen(); document.body.dataset.ready = 'true'; input.focus(); })
    .catch(() => notice(es() ? 'No se pudo abrir el chat; recarga la página.' : 'The chat could not start; please reload the page.'));
})();
`;

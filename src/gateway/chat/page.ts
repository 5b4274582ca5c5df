import { html, raw } from 'hono/html';
import type { Business } from '../../domain/booking/business';

/**
 * The web chat page: no framework, no build step. Readable on a phone, usable from the keyboard, replies shown as
 * they arrive (server-sent events), a held slot with its countdown and the confirmed booking. Embeddable as an
 * iframe. All text from the server is inserted as text, never as HTML.
 */
export function chatPage(business: Business) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${business.name} — book an appointment</title>
<style>
  :root { --fg:#1b1f24; --muted:#5b6570; --accent:#0b5fff; --bg:#f6f7f9; --me:#0b5fff; --bot:#fff; }
  * { box-sizing: border-box; }
  body { margin:0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
  main { max-width: 40rem; margin: 0 auto; min-height: 100vh; display:flex; flex-direction:column; }
  header { padding: .75rem 1rem; background:#fff; border-bottom:1px solid #e3e6ea; }
  header h1 { font-size:1.1rem; margin:0; }
  #log { flex:1; overflow-y:auto; padding:1rem; display:flex; flex-direction:column; gap:.5rem; }
  .msg { max-width: 85%; padding:.55rem .8rem; border-radius: .9rem; white-space: pre-wrap; word-wrap: break-word; }
  .customer { align-self:flex-end; background:var(--me); color:#fff; border-bottom-right-radius:.25rem; }
  .assistant, .operator { align-self:flex-start; background:var(--bot); border:1px solid #e3e6ea; border-bottom-left-radius:.25rem; }
  .operator::before { content: "Staff: "; font-weight:600; }
  #status { padding:.5rem 1rem; background:#fff7e0; border-top:1px solid #f0dca0; display:none; }
  #status.booked { background:#e8f7ee; border-color:#a8dcb9; }
  form { display:flex; gap:.5rem; padding:.75rem; background:#fff; border-top:1px solid #e3e6ea; }
  input[type=text] { flex:1; font:inherit; padding:.6rem .8rem; border:1px solid #c9ced4; border-radius:.5rem; }
  button { font:inherit; padding:.6rem 1rem; border:0; border-radius:.5rem; background:var(--accent); color:#fff; cursor:pointer; }
  button:disabled { opacity:.6; }
  :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
  .sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
</style>
</head>
<body>
<main>
  <header><h1>${business.name}</h1><div style="color:var(--muted);font-size:.9rem">Book, move or cancel an appointment</div></header>
  <div id="log" role="log" aria-live="polite" aria-label="Conversation"></div>
  <div id="status" role="status" aria-live="polite"></div>
  <form id="composer" autocomplete="off">
    <label for="text" class="sr-only">Your message</label>
    <input id="text" type="text" maxlength="2000" placeholder="e.g. A haircut next Friday at 3pm" required>
    <button id="send" type="submit">Send</button>
  </form>
</main>
<script>${raw(script)}</script>
</body>
</html>`;
}

const script = `
(() => {
  const log = document.getElementById('log');
  const status = document.getElementById('status');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const send = document.getElementById('send');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let sessionId = sessionStorage.getItem('chatSession');
  let lastSeq = 0; const shown = new Set(); let countdown;

  function add(role, text, key) {
    if (key && shown.has(key)) return; if (key) shown.add(key);
    const div = document.createElement('div'); div.className = 'msg ' + role; div.textContent = text;
    log.appendChild(div); log.scrollTop = log.scrollHeight;
  }
  function fmt(iso) { return new Date(iso).toLocaleString([], { weekday:'short', day:'numeric', month:'short', hour:'numeric', minute:'2-digit', timeZone: zone }); }
  function renderState(state) {
    clearInterval(countdown);
    if (state && state.hold) {
      const until = new Date(state.hold.expiresAt).getTime();
      const tick = () => {
        const s = Math.max(0, Math.round((until - Date.now()) / 1000));
        status.className = ''; status.style.display = 'block';
        status.textContent = 'Holding ' + state.hold.service + ' on ' + fmt(state.hold.start) + ' — ' + s + ' s left to confirm';
        status.dataset.kind = 'hold';
        if (s === 0) clearInterval(countdown);
      };
      tick(); countdown = setInterval(tick, 1000);
    } else {
      const booked = (state && state.bookings || []).filter(b => b.status === 'confirmed');
      if (booked.length) {
        const b = booked[booked.length - 1];
        status.className = 'booked'; status.style.display = 'block'; status.dataset.kind = 'booked';
        status.textContent = 'Booked: ' + b.service + ' on ' + fmt(b.start);
      } else { status.style.display = 'none'; status.dataset.kind = ''; }
    }
  }
  async function ensureSession() {
    if (sessionId) {
      const r = await fetch('/api/chat/sessions/' + sessionId);
      if (r.ok) { const v = await r.json(); v.transcript.forEach((l, i) => add(l.role, l.text, 'h' + i + l.at)); renderState(v.state); lastSeq = v.transcript.length; return; }
    }
    const r = await fetch('/api/chat/sessions', { method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({ timezone: zone }) });
    sessionId = (await r.json()).sessionId; sessionStorage.setItem('chatSession', sessionId);
  }
  function listen() {
    const es = new EventSource('/api/chat/sessions/' + sessionId + '/events');
    es.addEventListener('message', (e) => { const m = JSON.parse(e.data); add(m.role, m.text, m.role + m.at + m.text); refresh(); });
  }
  async function refresh() {
    const r = await fetch('/api/chat/sessions/' + sessionId); if (r.ok) renderState((await r.json()).state);
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault(); const text = input.value.trim(); if (!text) return;
    input.value = ''; send.disabled = true; add('customer', text);
    try {
      const r = await fetch('/api/chat/sessions/' + sessionId + '/messages', { method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({ text, clientMessageId: crypto.randomUUID() }) });
      const body = await r.json();
      if (r.status === 200) { body.replies.forEach(m => add('assistant', m.text, 'assistant' + m.at + m.text)); renderState(body.state); }
      else if (r.status !== 202) add('assistant', (body.error && body.error.message) || 'Something went wrong; please try again.');
    } catch { add('assistant', 'Connection problem; please try again.'); }
    finally { send.disabled = false; input.focus(); }
  });
  ensureSession().then(listen).then(() => input.focus());
})();
`;

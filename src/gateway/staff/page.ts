import { html, raw } from 'hono/html';
import type { Business } from '../../domain/booking/business';

/**
 * The staff desk page: no framework, no build step. A sign-in form, then the schedule (a day grid with one column per
 * provider, or a week grid of one provider), the business's actions, and the needs-human queue. Live through
 * server-sent events; usable at 375 px (the grid scrolls sideways, the time column stays) and from the keyboard
 * (every booking and block is a button; the detail panel takes focus and Escape closes it). Text from the server is
 * inserted as text, never as HTML.
 *
 * Hooks the browser tests rely on: `body[data-ready]`, `#signin`, `#grid` with one `.col` per column
 * (`data-provider`, `data-date`) holding `.item`s (`data-kind`, `data-id`, `data-status`), `#detail` for a booking,
 * `#block-form`, `#queue` with one `.conv` per conversation (`data-workflow-id`).
 */
export function staffPage(business: Business, off: string | null) {
  const providers = business.providers.map((p) => ({ id: p.id, name: p.name }));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${business.name} — staff desk</title>
<style>
  :root { --fg:#1b1f24; --muted:#56606b; --accent:#0a58e6; --bg:#f6f7f9; --card:#fff; --line:#dde1e6; --closed:#eceef1;
          --booking:#e8f0ff; --booking-line:#7aa2f0; --hold:#fff6da; --hold-line:#d9b94e; --block:#f3e8e8; --block-line:#c98b8b;
          --cancelled:#f4f4f4; --danger:#b42318; --px: 1.1px; }
  * { box-sizing: border-box; }
  body { margin:0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
  header { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:center; justify-content:space-between; padding:.6rem 1rem; background:var(--card); border-bottom:1px solid var(--line); }
  header h1 { font-size:1.05rem; margin:0; }
  main { padding: .75rem; display:grid; gap:.75rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 1000px) { main.signed-in { grid-template-columns: minmax(0, 1fr) 22rem; } }
  section.card { background:var(--card); border:1px solid var(--line); border-radius:.6rem; padding:.75rem; min-width:0; }
  h2 { font-size:1rem; margin:0 0 .5rem; }
  button, input, select, textarea { font: inherit; }
  button { padding:.35rem .7rem; border:1px solid var(--line); background:#fff; border-radius:.4rem; cursor:pointer; }
  button.primary { background:var(--accent); color:#fff; border-color:var(--accent); }
  button.danger { color:var(--danger); border-color:var(--danger); }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, .item:focus-visible { outline: 3px solid #ffb000; outline-offset: 1px; }
  label { display:inline-flex; flex-direction:column; font-size:.8rem; color:var(--muted); gap:.15rem; }
  input, select, textarea { padding:.3rem .4rem; border:1px solid var(--line); border-radius:.3rem; color:var(--fg); background:#fff; min-width:0; }
  .row { display:flex; flex-wrap:wrap; gap:.5rem; align-items:flex-end; }
  .toolbar { display:flex; flex-wrap:wrap; gap:.4rem; align-items:center; margin-bottom:.5rem; }
  .toolbar .title { font-weight:600; margin-right:auto; }
  #signin { max-width: 24rem; margin: 2rem auto; }
  #signin form { display:flex; flex-direction:column; gap:.6rem; }
  #signin label { font-size:.9rem; }
  .error { color: var(--danger); margin:.4rem 0 0; white-space: pre-wrap; }
  .note { color: var(--muted); font-size:.85rem; margin:.3rem 0 0; }
  /* The grid: a time column and one column per provider (day) or per day (week); scrolls sideways on a phone. */
  #grid-wrap { overflow-x:auto; border:1px solid var(--line); border-radius:.4rem; background:#fff; }
  #grid { display:grid; position:relative; }
  .times, .col { position:relative; border-left:1px solid var(--line); }
  .times { position: sticky; left: 0; z-index: 3; background:#fff; width: 3.2rem; border-left:0; border-right:1px solid var(--line); }
  .col { min-width: 9.5rem; background: var(--closed); }
  .head { position: sticky; top: 0; z-index:2; height: 2.6rem; padding:.2rem .35rem; font-size:.8rem; font-weight:600; background:#fff; border-bottom:1px solid var(--line); overflow:hidden; }
  .head small { display:block; font-weight:400; color:var(--muted); white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
  .open { position:absolute; left:0; right:0; background:#fff; }
  .hour { position:absolute; left:0; right:0; border-top:1px solid #eef0f3; font-size:.7rem; color:var(--muted); padding-left:.2rem; }
  .item { position:absolute; left:.2rem; right:.2rem; border-radius:.3rem; border:1px solid; padding:.1rem .3rem; font-size:.75rem; line-height:1.2; overflow:hidden; text-align:left; cursor:pointer; }
  .item[data-kind="booking"] { background:var(--booking); border-color:var(--booking-line); }
  .item[data-kind="booking"][data-status="cancelled"] { background:var(--cancelled); border-style:dashed; color:var(--muted); text-decoration: line-through; left: 55%; }
  .item[data-kind="booking"][data-status="completed"], .item[data-kind="booking"][data-status="no_show"] { opacity:.75; }
  .item[data-kind="hold"] { background:var(--hold); border-color:var(--hold-line); border-style:dashed; }
  .item[data-kind="block"], .item[data-kind="time_off"] { background: repeating-linear-gradient(135deg, var(--block), var(--block) 6px, #fff 6px, #fff 10px); border-color:var(--block-line); }
  .item b { display:block; font-weight:600; }
  .closed-day { position:absolute; inset: 2.6rem 0 0 0; background: repeating-linear-gradient(45deg, #e2e5e9, #e2e5e9 8px, #f1f2f4 8px, #f1f2f4 16px); display:flex; align-items:flex-start; justify-content:center; padding-top:1rem; font-size:.8rem; color:var(--fg); z-index:1; }
  .closed-day span { background:#fff; padding:.2rem .4rem; border-radius:.3rem; border:1px solid var(--line); }
  #detail { border-color: var(--accent); }
  #detail dl { display:grid; grid-template-columns: auto 1fr; gap:.15rem .6rem; margin:.3rem 0 .6rem; }
  #detail dt { color:var(--muted); }
  #detail dd { margin:0; }
  #detail ol { padding-left: 1.2rem; margin:.3rem 0; font-size:.85rem; }
  .conv { border:1px solid var(--line); border-radius:.4rem; padding:.5rem; margin-bottom:.5rem; }
  .conv .lines { max-height: 14rem; overflow-y:auto; font-size:.85rem; margin:.4rem 0; display:flex; flex-direction:column; gap:.25rem; }
  .line { padding:.2rem .4rem; border-radius:.3rem; white-space:pre-wrap; overflow-wrap:anywhere; }
  .line[data-role="customer"] { background:#eef3ff; }
  .line[data-role="assistant"] { background:#f4f5f7; }
  .line[data-role="operator"] { background:#fff6da; }
  .line .who { font-size:.7rem; color:var(--muted); font-weight:600; display:block; }
  .conv textarea { width:100%; min-height:3.2rem; }
  .sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip: rect(0 0 0 0); }
  .legend { display:flex; flex-wrap:wrap; gap:.6rem; font-size:.75rem; color:var(--muted); margin-top:.4rem; }
  .legend i { display:inline-block; width:.8rem; height:.8rem; border:1px solid; vertical-align:-2px; margin-right:.2rem; }
  [hidden] { display:none !important; }
</style>
</head>
<body>
<header>
  <h1>${business.name} — staff desk</h1>
  <div id="who" hidden><span id="operator"></span> <button id="signout" type="button">Sign out</button></div>
</header>
<main id="main">
  <section id="signin" class="card" hidden aria-labelledby="signin-title">
    <h2 id="signin-title">Sign in</h2>
    ${off ? html`<p class="error" id="off">${off}</p>` : ''}
    <form id="signin-form">
      <label>Your name <input id="signin-name" name="name" autocomplete="username" required maxlength="64"></label>
      <label>Password or operator token <input id="signin-password" name="password" type="password" autocomplete="current-password" required></label>
      <button class="primary" type="submit">Sign in</button>
      <p id="signin-error" class="error" role="alert"></p>
    </form>
  </section>

  <section id="schedule" class="card" hidden aria-labelledby="schedule-title">
    <div class="toolbar">
      <h2 id="schedule-title" class="title">Schedule</h2>
      <button type="button" id="prev" aria-label="Previous">‹</button>
      <button type="button" id="today">Today</button>
      <button type="button" id="next" aria-label="Next">›</button>
      <label class="sr-only" for="date">Date</label><input type="date" id="date">
      <label class="sr-only" for="view">View</label>
      <select id="view"><option value="day">Day</option><option value="week">Week</option></select>
      <label class="sr-only" for="week-provider">Provider for the week</label>
      <select id="week-provider" hidden>${raw(providers.map((p) => `<option value="${p.id}">${escapeHtml(p.name)}</option>`).join(''))}</select>
    </div>
    <div id="grid-wrap" tabindex="-1"><div id="grid" role="region" aria-label="Schedule grid"></div></div>
    <div class="legend" aria-hidden="true"><span><i style="background:var(--booking);border-color:var(--booking-line)"></i>booking</span><span><i style="background:var(--hold);border-color:var(--hold-line)"></i>on hold</span><span><i style="background:var(--block);border-color:var(--block-line)"></i>blocked</span><span><i style="background:var(--closed);border-color:var(--line)"></i>closed</span></div>
    <p id="schedule-status" class="note" role="status" aria-live="polite"></p>
  </section>

  <aside id="side" hidden>
    <section id="detail" class="card" hidden tabindex="-1" aria-labelledby="detail-title">
      <div class="toolbar"><h2 id="detail-title" class="title">Booking</h2><button type="button" id="detail-close" aria-label="Close">✕</button></div>
      <dl id="detail-facts"></dl>
      <div class="row" id="detail-actions">
        <button type="button" class="danger" id="cancel-booking">Cancel as the business</button>
      </div>
      <form id="move-form" class="row" style="margin-top:.5rem">
        <label>New date <input type="date" id="move-date" required></label>
        <label>Time <input type="time" id="move-time" step="300" required></label>
        <label>Provider <select id="move-provider">${raw(providers.map((p) => `<option value="${p.id}">${escapeHtml(p.name)}</option>`).join(''))}</select></label>
        <button type="submit">Move</button>
      </form>
      <p id="detail-error" class="error" role="alert"></p>
      <h2 style="margin-top:.6rem">Staff actions</h2>
      <ol id="detail-history"></ol>
    </section>

    <section class="card" aria-labelledby="block-title">
      <h2 id="block-title">Block time</h2>
      <form id="block-form" class="row">
        <label>Provider <select id="block-provider">${raw(providers.map((p) => `<option value="${p.id}">${escapeHtml(p.name)}</option>`).join(''))}</select></label>
        <label>Date <input type="date" id="block-date" required></label>
        <label>What <select id="block-kind"><option value="block">Hours</option><option value="time_off">Time off (whole days)</option></select></label>
        <label id="block-from-l">From <input type="time" id="block-from" step="900" value="13:00"></label>
        <label id="block-to-l">To <input type="time" id="block-to" step="900" value="14:00"></label>
        <label id="block-until-l" hidden>Until (date) <input type="date" id="block-until"></label>
        <label>Reason <input id="block-reason" maxlength="200"></label>
        <button type="submit" class="primary">Block</button>
      </form>
      <p id="block-error" class="error" role="alert"></p>
      <h2 style="margin-top:.8rem">Close the business for a day</h2>
      <form id="closure-form" class="row">
        <label>Date <input type="date" id="closure-date" required></label>
        <label>Reason <input id="closure-reason" maxlength="200" placeholder="e.g. staff training"></label>
        <button type="submit">Close the day</button>
      </form>
      <p id="closure-error" class="error" role="alert"></p>
    </section>

    <section id="queue-card" class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting for a person <span id="queue-count"></span></h2>
      <div id="queue" aria-live="polite"></div>
    </section>
  </aside>
</main>
<script>
(() => {
  const PROVIDERS = ${raw(JSON.stringify(providers).replace(/</g, '\\u003c'))};
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'style') node.setAttribute('style', v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  const state = { operator: null, date: null, view: 'day', provider: PROVIDERS[0] && PROVIDERS[0].id, schedule: null, selected: null, events: null };

  async function api(method, path, body) {
    const response = await fetch('/staff' + path, {
      method, credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401 && path !== '/session') { showSignIn(); throw new Error('signed out'); }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) { const e = new Error((data.error && data.error.message) || ('HTTP ' + response.status)); e.data = data; throw e; }
    return data;
  }

  function showSignIn() {
    $('signin').hidden = false; $('schedule').hidden = true; $('side').hidden = true; $('who').hidden = true;
    $('main').classList.remove('signed-in');
    if (state.events) { state.events.close(); state.events = null; }
    document.body.dataset.ready = 'signin';
    $('signin-name').focus();
  }

  async function showDesk(me) {
    state.operator = me.operator;
    $('operator').textContent = 'Signed in as ' + me.operator;
    $('who').hidden = false; $('signin').hidden = true; $('schedule').hidden = false; $('side').hidden = false;
    $('main').classList.add('signed-in');
    if (!state.date) state.date = me.today;
    $('date').value = state.date; $('block-date').value = state.date; $('closure-date').value = state.date;
    await Promise.all([loadSchedule(), loadQueue()]);
    listen();
    document.body.dataset.ready = 'true';
  }

  $('signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('signin-error').textContent = '';
    try {
      await api('POST', '/session', { name: $('signin-name').value, password: $('signin-password').value });
      $('signin-password').value = '';
      await start();
    } catch (error) { $('signin-error').textContent = error.message; }
  });
  $('signout').addEventListener('click', async () => { await api('POST', '/session/end'); showSignIn(); });

  // ---- the schedule grid ----
  const addDays = (date, n) => { const d = new Date(date + 'T12:00:00Z'); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
  const hhmm = (min) => String(Math.floor(min / 60)).padStart(2, '0') + ':' + String(min % 60).padStart(2, '0');

  async function loadSchedule() {
    const days = state.view === 'week' ? 7 : 1;
    const data = await api('GET', '/api/schedule?date=' + state.date + '&days=' + days);
    state.schedule = data;
    render();
  }

  function render() {
    const s = state.schedule; if (!s) return;
    const grid = $('grid'); grid.replaceChildren();
    const columns = state.view === 'week'
      ? s.days.map((d) => ({ provider: state.provider, date: d.date, title: d.label, sub: (PROVIDERS.find((p) => p.id === state.provider) || {}).name }))
      : PROVIDERS.map((p) => ({ provider: p.id, date: s.days[0].date, title: p.name, sub: s.days[0].label }));
    // Hours shown: from the earliest opening to the latest closing (and anything booked outside), whole hours.
    let lo = 24 * 60, hi = 0;
    for (const c of columns) for (const [a, b] of ((s.providers.find((p) => p.id === c.provider) || { open: {} }).open[c.date] || [])) { lo = Math.min(lo, a); hi = Math.max(hi, b); }
    for (const it of s.items) if (it.kind !== 'closure') { lo = Math.min(lo, it.startMin); hi = Math.max(hi, it.endMin); }
    if (lo >= hi) { lo = 9 * 60; hi = 17 * 60; }
    lo = Math.floor(lo / 60) * 60; hi = Math.ceil(hi / 60) * 60;
    const px = 1.1, head = 41.6;
    const y = (min) => head + (min - lo) * px;
    const height = y(hi) + 4;
    grid.style.gridTemplateColumns = '3.2rem repeat(' + columns.length + ', minmax(9.5rem, 1fr))';
    const times = el('div', { class: 'times', style: 'height:' + height + 'px', 'aria-hidden': 'true' }, el('div', { class: 'head' }));
    for (let m = lo; m < hi; m += 60) times.append(el('div', { class: 'hour', style: 'top:' + y(m) + 'px', text: hhmm(m) }));
    grid.append(times);
    for (const c of columns) {
      const day = s.days.find((d) => d.date === c.date);
      const provider = s.providers.find((p) => p.id === c.provider);
      const col = el('div', { class: 'col', style: 'height:' + height + 'px', 'data-provider': c.provider, 'data-date': c.date, role: 'group', 'aria-label': c.title + ', ' + c.sub },
        el('div', { class: 'head' }, el('span', { text: c.title }), el('small', { text: c.sub })));
      for (const [a, b] of (provider && provider.open[c.date]) || []) col.append(el('div', { class: 'open', style: 'top:' + y(a) + 'px;height:' + ((b - a) * px) + 'px' }));
      for (let m = lo; m < hi; m += 60) col.append(el('div', { class: 'hour', style: 'top:' + y(m) + 'px', 'aria-hidden': 'true' }));
      if (day && day.closed) {
        const label = 'Closed: ' + day.closed.reason + (day.closed.source === 'file' ? ' (business file)' : '');
        const box = el('div', { class: 'closed-day', 'data-kind': 'closure' }, el('span', { text: label }));
        if (day.closed.source === 'desk') box.append(el('button', { type: 'button', text: 'Reopen', style: 'margin-left:.3rem', onclick: () => liftBlock(day.closed.blockId) }));
        col.append(box);
      }
      const items = s.items.filter((it) => it.provider === c.provider && it.date === c.date).sort((a, b) => a.startMin - b.startMin);
      for (const it of items) {
        const label = it.kind === 'booking' || it.kind === 'hold'
          ? it.time + ' ' + it.title + (it.kind === 'hold' ? ' (on hold)' : it.status !== 'confirmed' ? ' (' + it.status.replace('_', '-') + ')' : '')
          : it.time + ' ' + it.title + (it.reason ? ': ' + it.reason : '') + (it.by ? ' — ' + it.by : '');
        const node = el('button', {
          type: 'button', class: 'item', 'data-kind': it.kind, 'data-id': it.id, 'data-status': it.status,
          style: 'top:' + y(it.startMin) + 'px;height:' + Math.max(16, (it.endMin - it.startMin) * px - 2) + 'px',
          'aria-label': label,
          onclick: () => (it.kind === 'booking' || it.kind === 'hold') ? openBooking(it.id) : liftBlockAsk(it),
        }, el('b', { text: it.time }), document.createTextNode(it.kind === 'booking' || it.kind === 'hold' ? it.title : it.title + (it.reason ? ': ' + it.reason : '')));
        col.append(node);
      }
      grid.append(col);
    }
    const count = s.items.filter((i) => i.kind === 'booking' && i.status === 'confirmed').length;
    $('schedule-status').textContent = count + ' booking' + (count === 1 ? '' : 's') + ' shown · times in ' + s.zone;
  }

  async function liftBlockAsk(item) {
    if (confirm('Lift this ' + (item.kind === 'time_off' ? 'time off' : 'block') + ' (' + item.time + ')?')) await liftBlock(item.id);
  }
  async function liftBlock(id) {
    try { await api('DELETE', '/api/blocks/' + encodeURIComponent(id)); await loadSchedule(); }
    catch (error) { $('schedule-status').textContent = error.message; }
  }

  $('prev').addEventListener('click', () => go(state.view === 'week' ? -7 : -1));
  $('next').addEventListener('click', () => go(state.view === 'week' ? 7 : 1));
  $('today').addEventListener('click', () => { state.date = state.today; sync(); });
  $('date').addEventListener('change', () => { if ($('date').value) { state.date = $('date').value; sync(); } });
  $('view').addEventListener('change', () => { state.view = $('view').value; $('week-provider').hidden = state.view !== 'week'; sync(); });
  $('week-provider').addEventListener('change', () => { state.provider = $('week-provider').value; render(); });
  function go(n) { state.date = addDays(state.date, n); sync(); }
  function sync() { $('date').value = state.date; loadSchedule().catch((e) => { $('schedule-status').textContent = e.message; }); }

  // ---- one booking ----
  async function openBooking(id) {
    await refreshBooking(id);
    $('detail').hidden = false;
    $('detail').focus();
  }
  // live: a schedule change while the booking is open shows its new facts and history, and leaves what staff are typing
  // in the move form (and the last refusal) alone; opening a booking fills the form from it.
  async function refreshBooking(id, live = false) {
    state.selected = id;
    const data = await api('GET', '/api/bookings/' + encodeURIComponent(id));
    const b = data.booking;
    const facts = $('detail-facts'); facts.replaceChildren();
    for (const [k, v] of [['Customer', data.customerName || '(no name given)'], ['Service', b.serviceName], ['With', b.providerName], ['When', b.when], ['Status', b.status.replace('_', '-')]]) facts.append(el('dt', { text: k }), el('dd', { text: v }));
    $('detail').dataset.bookingId = id;
    $('detail').dataset.status = b.status;
    $('cancel-booking').hidden = b.status !== 'confirmed';
    $('move-form').hidden = b.status !== 'confirmed';
    if (!live) {
      $('move-date').value = b.date; $('move-time').value = b.time.slice(0, 5); $('move-provider').value = b.providerId;
      $('detail-error').textContent = '';
    }
    const history = $('detail-history'); history.replaceChildren();
    for (const a of data.history) history.append(el('li', { text: a.when + ' — ' + a.operator + ': ' + a.summary }));
    if (data.history.length === 0) history.append(el('li', { text: 'None yet.' }));
  }
  function closeDetail() {
    $('detail').hidden = true;
    const back = state.selected && document.querySelector('.item[data-id="' + CSS.escape(state.selected) + '"]');
    state.selected = null;
    if (back) back.focus();
  }
  $('detail-close').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && !$('detail').hidden) closeDetail(); });
  $('cancel-booking').addEventListener('click', async () => {
    const id = state.selected; if (!id) return;
    if (!confirm('Cancel this booking as the business? The customer is told on their channel.')) return;
    try {
      await api('POST', '/api/bookings/' + encodeURIComponent(id) + '/cancel');
      $('detail-error').textContent = '';
      $('schedule-status').textContent = 'Cancelling… the customer is being told.';
    } catch (error) { $('detail-error').textContent = error.message; }
  });
  $('move-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = state.selected; if (!id) return;
    $('detail-error').textContent = 'Moving…';
    try {
      const moved = await api('POST', '/api/bookings/' + encodeURIComponent(id) + '/move', { date: $('move-date').value, time: $('move-time').value, provider: $('move-provider').value });
      await loadSchedule();
      await openBooking(moved.booking.id);
      $('schedule-status').textContent = 'Moved; the customer is being told.';
    } catch (error) {
      const alts = (error.data && error.data.alternatives) || [];
      $('detail-error').textContent = error.message + (alts.length ? '\\nFree instead: ' + alts.map((a) => a.label).join('; ') : '');
    }
  });

  // ---- blocks and closures ----
  $('block-kind').addEventListener('change', () => {
    const off = $('block-kind').value === 'time_off';
    $('block-from-l').hidden = off; $('block-to-l').hidden = off; $('block-until-l').hidden = !off;
  });
  $('block-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('block-error').textContent = '';
    const kind = $('block-kind').value;
    const body = { provider: $('block-provider').value, date: $('block-date').value, kind, reason: $('block-reason').value || undefined };
    if (kind === 'block') { body.from = $('block-from').value; body.to = $('block-to').value; } else if ($('block-until').value) body.toDate = $('block-until').value;
    try { await api('POST', '/api/blocks', body); $('block-reason').value = ''; await loadSchedule(); $('schedule-status').textContent = 'Blocked.'; }
    catch (error) { $('block-error').textContent = error.message; }
  });
  $('closure-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('closure-error').textContent = '';
    try { await api('POST', '/api/closures', { date: $('closure-date').value, reason: $('closure-reason').value || undefined }); await loadSchedule(); }
    catch (error) { $('closure-error').textContent = error.message; }
  });

  // ---- the needs-human queue ----
  const drafts = new Map();
  async function loadQueue() {
    const data = await api('GET', '/api/queue');
    const queue = $('queue');
    for (const ta of queue.querySelectorAll('textarea')) drafts.set(ta.dataset.workflowId, ta.value);
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.conv') ? document.activeElement.id : null;
    queue.replaceChildren();
    $('queue-count').textContent = '(' + data.conversations.length + ')';
    if (data.conversations.length === 0) queue.append(el('p', { class: 'note', text: 'Nobody is waiting.' }));
    data.conversations.forEach((c, n) => {
      const lines = el('div', { class: 'lines', tabindex: '0', 'aria-label': 'Transcript' });
      for (const l of c.transcript) lines.append(el('div', { class: 'line', 'data-role': l.role }, el('span', { class: 'who', text: l.role }), document.createTextNode(l.text)));
      const reply = el('textarea', { id: 'reply-' + n, 'data-workflow-id': c.workflowId, 'aria-label': 'Reply to this customer', maxlength: '1600' });
      reply.value = drafts.get(c.workflowId) || '';
      const act = (path, body) => api('POST', '/api/conversations/' + encodeURIComponent(c.workflowId) + '/' + path, body).then(() => loadQueue()).catch((e) => { err.textContent = e.message; });
      const err = el('p', { class: 'error', role: 'alert' });
      const box = el('div', { class: 'conv', 'data-workflow-id': c.workflowId },
        el('div', { class: 'row' }, el('b', { text: c.channel }), el('span', { class: 'note', text: c.state && c.state.status === 'human' ? 'with staff' : 'waiting' })),
        lines, reply,
        el('div', { class: 'row' },
          el('button', { type: 'button', text: 'Take over', onclick: () => act('take-over') }),
          el('button', { type: 'button', class: 'primary', text: 'Send reply', onclick: () => { const text = reply.value.trim(); if (!text) return; drafts.delete(c.workflowId); reply.value = ''; act('reply', { text }); } }),
          el('button', { type: 'button', text: 'Hand back', onclick: () => act('hand-back') })),
        err);
      queue.append(box);
      lines.scrollTop = lines.scrollHeight;
    });
    if (focused && $(focused)) $(focused).focus();
  }

  // ---- live ----
  function listen() {
    if (state.events) return;
    const events = new EventSource('/staff/api/events');
    state.events = events;
    events.addEventListener('schedule', () => {
      loadSchedule().catch(() => {});
      // An open booking shows its new status and history too (without taking focus from where staff are).
      if (state.selected && !$('detail').hidden) refreshBooking(state.selected, true).catch(() => {});
    });
    events.addEventListener('queue', () => loadQueue().catch(() => {}));
  }

  async function start() {
    try {
      const me = await api('GET', '/api/me');
      state.today = me.today; await showDesk(me);
    } catch { showSignIn(); }
  }
  start();
})();
</script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

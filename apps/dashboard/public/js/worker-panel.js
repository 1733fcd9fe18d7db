// The "Pre-fork model" panel: the arbiter's pid and worker count from /api/server-info, and which worker pid
// answered each callback (the X-Worker-Pid response header). After `kill -HUP <arbiter pid>` new pids appear and
// the old ones fade out once they stop answering.

const LOG_ROWS = 8;
const STALE_MS = 15_000;
const REFRESH_MS = 5_000;

/** A stable colour per pid, so one worker's chip and log rows match at a glance. */
const hue = (pid) => (Number(pid) * 47) % 360;

function shortName(output) {
  const ids = output
    .replace(/^\.\.|\.\.$/g, '')
    .split('...')
    .map((part) => part.split('.')[0]);
  return ids.length === 1 ? ids[0] : `${ids[0]} +${ids.length - 1}`;
}

export function workerPanel() {
  /** pid → { count, last } */
  const seen = new Map();
  const $ = (id) => document.getElementById(id);

  function drawChips() {
    const now = Date.now();
    const chips = [...seen.entries()]
      .sort((a, b) => b[1].last - a[1].last)
      .map(([pid, { count, last }]) => {
        const li = document.createElement('li');
        li.className = now - last > STALE_MS ? 'chip stale' : 'chip';
        li.style.setProperty('--hue', hue(pid));
        li.dataset.pid = pid;
        li.textContent = `${pid} · ${count}`;
        li.title = `worker ${pid}: ${count} answers, last ${new Date(last).toLocaleTimeString()}`;
        return li;
      });
    $('pid-chips').replaceChildren(...chips);
  }

  function note(pid) {
    if (!pid) return;
    const entry = seen.get(pid) ?? { count: 0, last: 0 };
    seen.set(pid, { count: entry.count + 1, last: Date.now() });
    drawChips();
  }

  async function refresh() {
    const res = await fetch('/api/server-info', { cache: 'no-store' });
    const info = await res.json();
    $('arbiter-pid').textContent = String(info.arbiterPid);
    $('hup-pid').textContent = String(info.arbiterPid);
    // null: not served by tgun (or a tgun that does not export TGUN_WORKERS), so there is no count to show.
    $('worker-count').textContent = info.workers === null ? '—' : String(info.workers);
    $('page-pid').textContent = String(info.workerPid);
    $('page-pid').style.setProperty('--hue', hue(info.workerPid));
    note(String(info.workerPid));
  }

  function logCallback(output, pid) {
    const tr = document.createElement('tr');
    const cells = [new Date().toLocaleTimeString([], { hour12: false }), shortName(output), pid ?? '?'];
    tr.append(
      ...cells.map((text) => {
        const td = document.createElement('td');
        td.textContent = text;
        return td;
      }),
    );
    tr.lastChild.className = 'pid';
    tr.lastChild.style.setProperty('--hue', hue(pid));
    const body = $('callback-log').tBodies[0];
    body.prepend(tr);
    while (body.rows.length > LOG_ROWS) body.lastChild.remove();
    note(pid);
  }

  // Polling keeps the panel honest with no interaction: after a HUP, the next refresh already meets a new worker.
  const timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
  return { refresh, logCallback, stop: () => clearInterval(timer) };
}

// Draws callback outputs. Every number shown comes from the server's response as is; the browser only formats.

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US');

const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d'] };

function cell(text, className = '') {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderKpis(el, cards) {
  el.replaceChildren(
    ...cards.map((card) => {
      const box = document.createElement('div');
      box.className = 'kpi';
      box.dataset.kpi = card.id;
      const value =
        card.value === null
          ? '—'
          : card.format === 'currency'
            ? (card.id === 'avg-price' ? cents : money).format(card.value)
            : card.format === 'integer'
              ? count.format(card.value)
              : String(card.value);
      const note = card.note === null || card.note === undefined ? '' : `${money.format(card.note)} revenue`;
      box.innerHTML = '<div class="kpi-label"></div><div class="kpi-value"></div><div class="kpi-note"></div>';
      box.children[0].textContent = card.label;
      box.children[1].textContent = value;
      box.children[2].textContent = note;
      return box;
    }),
  );
}

function renderTable(el, rows) {
  const body = el.tBodies[0];
  if (rows.length === 0) {
    const empty = cell('No products match these filters.', 'empty');
    empty.colSpan = 6;
    const tr = document.createElement('tr');
    tr.append(empty);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      tr.dataset.product = row.product;
      const badge = cell('');
      badge.innerHTML = `<span class="badge ${row.category.toLowerCase()}"></span>`;
      badge.firstChild.textContent = row.category;
      tr.append(
        cell(row.product),
        badge,
        cell(count.format(row.units), 'num'),
        cell(money.format(row.revenue), 'num'),
        cell(row.avgPrice === null ? '—' : cents.format(row.avgPrice), 'num'),
        cell(`${row.share.toFixed(1)} %`, 'num share'),
      );
      const bar = document.createElement('span');
      bar.className = 'share-bar';
      bar.style.setProperty('--share', `${row.share}%`);
      tr.lastChild.append(bar);
      return tr;
    }),
  );
}

/** Applies one `{ <id>: { <prop>: value } }` entry of a callback response to the page. */
export function render(id, prop, value) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`callback wrote to missing component #${id}`);
  if (prop === 'figure') return window.Plotly.react(el, value.data, value.layout, PLOT_CONFIG);
  if (id === 'kpis' && prop === 'data') return renderKpis(el, value);
  if (id === 'sales-table' && prop === 'data') return renderTable(el, value);
  throw new Error(`no renderer for ${id}.${prop}`);
}

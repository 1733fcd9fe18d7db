// The page's renderer: fetch the callback graph, fire every callback once (as Dash does on load), then fire the
// callbacks that read a control whenever it changes. `data-pending` / `data-updates` on <body> let tests and
// people tell when the page has settled.

import { findControls, readValue, watchControls } from './controls.js';
import { render } from './render.js';
import { workerPanel } from './worker-panel.js';

const controls = findControls();
const panel = workerPanel();
/** Latest request number per callback: a slow answer to an old request must not overwrite a newer one. */
const latest = new Map();
let pending = 0;

function setPending(delta) {
  pending += delta;
  document.body.dataset.pending = String(pending);
  document.body.classList.toggle('busy', pending > 0);
  if (pending === 0) document.body.dataset.updates = String(Number(document.body.dataset.updates) + 1);
}

function showError(message) {
  const bar = document.getElementById('error-bar') ?? document.body.appendChild(document.createElement('div'));
  bar.id = 'error-bar';
  bar.textContent = message;
  console.error(message);
}

function paintMetricNames() {
  const metric = readValue(controls.get('metric'));
  for (const el of document.querySelectorAll('.metric-name')) {
    const word = metric === 'units' ? 'units' : 'revenue';
    el.textContent = el.closest('h2').firstChild === el ? word[0].toUpperCase() + word.slice(1) : word;
  }
}

async function fire(dependency, changedPropIds) {
  const n = (latest.get(dependency.output) ?? 0) + 1;
  latest.set(dependency.output, n);
  setPending(+1);
  try {
    const inputs = dependency.inputs.map(({ id, property }) => ({ id, property, value: readValue(controls.get(id)) }));
    const res = await fetch('/_dash-update-component', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ output: dependency.output, inputs, changedPropIds }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`${dependency.output}: ${body.error?.message ?? res.status}`);
    panel.logCallback(dependency.output, res.headers.get('x-worker-pid'));
    if (latest.get(dependency.output) !== n) return;
    for (const [id, props] of Object.entries(body.response)) {
      for (const [prop, value] of Object.entries(props)) await render(id, prop, value);
    }
  } catch (error) {
    showError(`Callback failed: ${error.message}`);
  } finally {
    setPending(-1);
  }
}

async function start() {
  const res = await fetch('/_dash-dependencies');
  const dependencies = await res.json();
  paintMetricNames();
  watchControls(controls, (id) => {
    if (id === 'metric') paintMetricNames();
    for (const dependency of dependencies) {
      if (dependency.inputs.some((input) => input.id === id)) fire(dependency, [`${id}.value`]);
    }
  });
  await Promise.all([panel.refresh(), ...dependencies.map((dependency) => fire(dependency, []))]);
}

start().catch((error) => showError(`Dashboard failed to start: ${error.message}`));

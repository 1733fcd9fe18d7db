// Browser side of the controls: reading a control's `value` the way a Dash component exposes it, and telling the
// page when a value changes. Which callbacks a change fires is not decided here but by /_dash-dependencies.

/** Every control on the page, keyed by id. */
export function findControls() {
  return new Map([...document.querySelectorAll('[data-control]')].map((el) => [el.id, el]));
}

/** The control's current value: a string, or a list for the range slider and the checklist. */
export function readValue(el) {
  switch (el.dataset.control) {
    case 'dropdown':
      return el.value;
    case 'radio':
      return el.querySelector('input:checked')?.value ?? null;
    case 'range-slider': {
      // The two handles may cross; the value is always [low, high], like Dash's RangeSlider.
      const [a, b] = [...el.querySelectorAll('input[type=range]')].map((input) => Number(input.value));
      return [Math.min(a, b), Math.max(a, b)];
    }
    case 'checklist':
      return [...el.querySelectorAll('input:checked')].map((input) => input.value);
    default:
      throw new Error(`unknown control type ${el.dataset.control}`);
  }
}

/** Keeps the slider's label and the filled part of its track in step with the handles. */
function paintSlider(el) {
  const labels = JSON.parse(el.dataset.labels);
  const [from, to] = readValue(el);
  const last = labels.length - 1;
  el.querySelector('#months-label').textContent = from === to ? labels[from] : `${labels[from]} – ${labels[to]}`;
  el.style.setProperty('--from', `${(from / last) * 100}%`);
  el.style.setProperty('--to', `${(to / last) * 100}%`);
}

/**
 * Calls `onChange(id)` when a control's value changes. The slider reports on release ('change'), not on every
 * pixel of a drag ('input'), so dragging does not flood the server with callbacks that are at once superseded.
 */
export function watchControls(controls, onChange) {
  for (const [id, el] of controls) {
    if (el.dataset.control === 'range-slider') {
      paintSlider(el);
      el.addEventListener('input', () => paintSlider(el));
    }
    el.addEventListener('change', () => onChange(id));
  }
}

/**
 * The dashboard's controls, declared once: the page renders them from here and the callback endpoint validates
 * every incoming value with the same `parse`, so a value the page cannot produce is rejected with a 400.
 */

import { CATEGORIES, MONTHS, REGIONS } from './data.mjs';

/** A callback input that is not acceptable; the endpoint turns it into a 400 JSON error. */
export class InputError extends Error {
  /** @override */
  name = 'InputError';
}

/**
 * One control: its DOM id, the property callbacks read, its initial value and the validator of incoming values.
 * @template T
 * @typedef {object} Control
 * @property {string} id
 * @property {'value'} property
 * @property {T} initial
 * @property {(value: unknown) => T} parse
 */

/**
 * @param {unknown} value
 * @param {readonly string[]} allowed
 * @param {string} id
 * @returns {string}
 */
function oneOf(value, allowed, id) {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InputError(`${id}: expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return value;
}

/** Region dropdown: one region or `'all'`. @type {Control<string>} */
export const region = {
  id: 'region',
  property: 'value',
  initial: 'all',
  parse: (value) => oneOf(value, ['all', ...REGIONS], 'region'),
};

/** Metric radio items: what the charts plot. @type {Control<import('./query.mjs').Metric>} */
export const metric = {
  id: 'metric',
  property: 'value',
  initial: 'revenue',
  parse: (value) => (oneOf(value, ['revenue', 'units'], 'metric') === 'units' ? 'units' : 'revenue'),
};

/** Month range slider: inclusive month indexes; the page opens on the most recent year. @type {Control<readonly [number, number]>} */
export const months = {
  id: 'months',
  property: 'value',
  initial: [12, 23],
  parse: (value) => {
    const last = MONTHS.length - 1;
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      !value.every((v) => Number.isInteger(v) && v >= 0 && v <= last) ||
      value[0] > value[1]
    ) {
      throw new InputError(`months: expected [from, to] with integers 0 <= from <= to <= ${last}`);
    }
    return [value[0], value[1]];
  },
};

/** Category checklist: any subset, including none. @type {Control<readonly string[]>} */
export const categories = {
  id: 'categories',
  property: 'value',
  initial: [...CATEGORIES],
  parse: (value) => {
    if (
      !Array.isArray(value) ||
      value.some((v) => typeof v !== 'string' || !CATEGORIES.includes(/** @type {never} */ (v)))
    ) {
      throw new InputError(`categories: expected a list drawn from ${CATEGORIES.join(', ')}`);
    }
    // A Set keeps a repeated category from being counted twice.
    return [...new Set(/** @type {string[]} */ (value))];
  },
};

/** Every control by id. */
export const CONTROLS = Object.freeze({ region, metric, months, categories });

/**
 * The two JSON endpoints of Dash's renderer protocol, enough for a page to drive server-side callbacks:
 *
 * - `GET /_dash-dependencies` — the callback graph: `[{ output, inputs: [{ id, property }], state: [] }]`.
 * - `POST /_dash-update-component` — request `{ output, inputs: [{ id, property, value }], changedPropIds }`,
 *   response `{ multi: true, response: { <id>: { <prop>: value } } }`.
 *
 * Anything malformed is a 400 with `{ error: { code, message } }`; it must never take the worker down.
 */

import express from 'express';
import { CALLBACKS, outputKey } from './callbacks.mjs';
import { CONTROLS, InputError } from './controls.mjs';

/** @typedef {import('./callbacks.mjs').Callback} Callback */
/** @typedef {import('./callbacks.mjs').Inputs} Inputs */

/** Callbacks by Dash output key, for O(1) dispatch. */
const BY_OUTPUT = new Map(CALLBACKS.map((callback) => [outputKey(callback), callback]));

/** A request that does not follow the protocol; carries its error code. */
export class ProtocolError extends Error {
  /** @override */
  name = 'ProtocolError';
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a callback request and turns its inputs into typed values, or throws {@link ProtocolError}.
 * @param {unknown} body
 * @returns {{ callback: Callback, inputs: Inputs }}
 */
export function parseUpdateRequest(body) {
  if (!isObject(body)) throw new ProtocolError('BAD_REQUEST', 'body must be a JSON object');
  const { output, inputs, changedPropIds } = body;
  if (typeof output !== 'string') throw new ProtocolError('BAD_REQUEST', '"output" must be a string');
  const callback = BY_OUTPUT.get(output);
  if (!callback) throw new ProtocolError('UNKNOWN_OUTPUT', `no callback has output ${JSON.stringify(output)}`);
  if (
    changedPropIds !== undefined &&
    !(Array.isArray(changedPropIds) && changedPropIds.every((p) => typeof p === 'string'))
  ) {
    throw new ProtocolError('BAD_REQUEST', '"changedPropIds" must be a list of strings');
  }
  if (!Array.isArray(inputs)) throw new ProtocolError('BAD_REQUEST', '"inputs" must be a list');
  /** @type {Map<string, unknown>} */
  const given = new Map();
  for (const input of inputs) {
    if (!isObject(input) || typeof input.id !== 'string' || typeof input.property !== 'string' || !('value' in input)) {
      throw new ProtocolError('BAD_REQUEST', 'each input must be { id, property, value }');
    }
    const key = `${input.id}.${input.property}`;
    if (!callback.inputs.some((id) => `${id}.value` === key)) {
      throw new ProtocolError('INVALID_INPUT', `${key} is not an input of ${output}`);
    }
    if (given.has(input.id)) throw new ProtocolError('INVALID_INPUT', `${key} is given twice`);
    given.set(input.id, input.value);
  }
  /** @type {Record<string, unknown>} */
  const parsed = {};
  for (const id of callback.inputs) {
    if (!given.has(id)) throw new ProtocolError('INVALID_INPUT', `missing input ${id}.value`);
    try {
      parsed[id] = CONTROLS[id].parse(given.get(id));
    } catch (error) {
      if (error instanceof InputError) throw new ProtocolError('INVALID_INPUT', error.message);
      throw error;
    }
  }
  return { callback, inputs: /** @type {Inputs} */ (parsed) };
}

/**
 * Runs a parsed request and shapes Dash's response.
 * @param {{ callback: Callback, inputs: Inputs }} request
 */
export function runCallback({ callback, inputs }) {
  const values = callback.run(inputs);
  /** @type {Record<string, Record<string, unknown>>} */
  const response = {};
  callback.outputs.forEach(([id, prop], i) => {
    response[id] = { ...response[id], [prop]: values[i] };
  });
  return { multi: true, response };
}

/** The callback graph, in the shape Dash's renderer fetches. */
export function dependencies() {
  return CALLBACKS.map((callback) => ({
    output: outputKey(callback),
    inputs: callback.inputs.map((id) => ({ id, property: CONTROLS[id].property })),
    state: [],
  }));
}

/**
 * Mounts the protocol's endpoints.
 * @returns {import('express').Router}
 */
export function dashRouter() {
  const router = express.Router();
  router.get('/_dash-dependencies', (_req, res) => {
    res.json(dependencies());
  });
  router.post('/_dash-update-component', express.json({ limit: '32kb' }), (req, res) => {
    let request;
    try {
      request = parseUpdateRequest(req.body);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      res.status(400).json({ error: { code: error.code, message: error.message } });
      return;
    }
    res.json(runCallback(request));
  });
  return router;
}

/**
 * core's integration-test harness. It is not a public export of @tgun/core yet, so this one file reaches it
 * inside the workspace; the tests import it from here.
 */
export { request } from '../../../packages/core/src/testing/http.js';
export { noLeftovers, spawnTgun, TGUN_BIN } from '../../../packages/core/src/testing/spawn-tgun.js';

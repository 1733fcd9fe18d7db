/**
 * core's integration-test harness (spawnTgun, the load client, /proc helpers). It is not a public export of
 * @tgun/core yet, so this one file reaches it inside the workspace; the tests import it from here.
 */
export { request, type TestResponse } from '../../../packages/core/src/testing/http.js';
export { startLoad, type LoadStats } from '../../../packages/core/src/testing/load.js';
export { childrenOf, isRunning } from '../../../packages/core/src/testing/processes.js';
export { noLeftovers, spawnTgun, type TgunHandle } from '../../../packages/core/src/testing/spawn-tgun.js';

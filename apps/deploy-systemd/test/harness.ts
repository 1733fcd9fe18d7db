/**
 * core's integration-test harness (the HTTP client, /proc helpers, the process marker). It is not a public
 * export of @tgun/core yet, so this one file reaches it inside the workspace; the tests import it from here.
 */
export { request } from '../../../packages/core/src/testing/http.js';
export { childrenOf, commandLine, isRunning } from '../../../packages/core/src/testing/processes.js';
export { socketInodesOf } from '../../../packages/core/src/testing/sockets.js';
export { MARK_ENV, noLeftovers, TGUN_BIN } from '../../../packages/core/src/testing/spawn-tgun.js';

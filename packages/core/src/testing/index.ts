/**
 * Test helpers for integration tests that start the real `tgun` command: spawning with cleanup, requests to
 * TCP and unix targets, a bounded load client, throwaway TLS certificates, and /proc-based process and socket
 * checks (Linux).
 */
export { hasOpenssl, selfSignedCertificate, type TestCertificate } from './certificate.js';
export { type Load, type LoadOptions, type LoadStats, startLoad } from './load.js';
export { type RequestOptions, request, type TestResponse, targetOptions } from './http.js';
export { childrenOf, commandLine, isRunning, processesWithEnv } from './processes.js';
export { establishedInodes, socketInodesOf } from './sockets.js';
export {
  type ExitInfo,
  MARK_ENV,
  noLeftovers,
  type SpawnTgunOptions,
  spawnTgun,
  TGUN_BIN,
  type TgunHandle,
  waitUntilServing,
  workersAnswering,
} from './spawn-tgun.js';
export { until } from './until.js';

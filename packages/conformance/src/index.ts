/**
 * `@tgun/conformance` (private): the one conformance suite every tgun adapter runs, the targets it runs on
 * (in-process, a simulated worker, the real `tgun -w 2`), and the unchanged-app comparison helpers.
 */
export { keepAliveAgent, type Reply, type SendOptions, send } from './client.js';
export { bindSocket, type BoundSocket } from './bound-socket.js';
export { type ConformanceOptions, defineConformanceSuite, type Features } from './suite.js';
export { type InProcessOptions, inProcessTarget } from './targets/in-process.js';
export type { AppSpec, RunningServer, StartOptions, Target } from './targets/target.js';
export { type TgunTargetOptions, tgunTarget } from './targets/tgun.js';
export { workerSimTarget } from './targets/worker-sim.js';
export { type FrameworkLayerResult, loadWithFramework } from './framework-layer.js';
export { type ComparisonOptions, defineComparison, type Exchange, type Step, transcript } from './compare.js';
export { nodeDirectTarget } from './targets/node-direct.js';

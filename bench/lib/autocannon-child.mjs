/**
 * Runs one autocannon load in its own (pinned) process and prints a LoadResult as JSON. Used for unix sockets,
 * which wrk cannot reach, and for the TCP run it is compared with.
 */
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2] ?? '{}');
const base =
  'socketPath' in spec.target
    ? { url: 'http://localhost/', socketPath: spec.target.socketPath }
    : { url: `http://127.0.0.1:${spec.target.port}/` };
const result = await autocannon({
  ...base,
  connections: spec.connections,
  duration: spec.duration,
  timeout: 10,
  headers: spec.close ? { connection: 'close' } : {},
});
const errors = result.errors + result.timeouts + result.non2xx;
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || spec.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors,
    errorKinds: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx },
  }),
);

// Preloaded (`node --import`) into an app run by plain `node`, so a test can find the port the app's own
// listen(0) got. It only observes: the listen options are not touched.
import { subscribe } from 'node:diagnostics_channel';

let reported = false;
subscribe('tracing:net.server.listen:asyncEnd', ({ server }) => {
  const report = () => {
    const address = server.address();
    if (reported || !address || typeof address !== 'object') return;
    reported = true;
    process.stdout.write(`\nTGUN_CONFORMANCE_PORT=${address.port}\n`);
  };
  if (server.listening) setImmediate(report);
  else server.once('listening', report);
});

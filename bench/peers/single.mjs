/**
 * One Node process serving a bench app: `BENCH_APP=raw PORT=8000 node single.mjs`. SIGTERM/SIGINT close the
 * server (idle keep-alive sockets included, Node >= 19) and exit.
 */
import { addressFromEnv, serve } from './serve.mjs';

const served = await serve(process.env.BENCH_APP ?? 'raw', addressFromEnv());
const stop = () => {
  served.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

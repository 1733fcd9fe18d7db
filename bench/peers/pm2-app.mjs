/**
 * The script PM2 runs in each cluster-mode worker (`pm2 start pm2-app.mjs -i N`). It listens as any PM2 app
 * does (cluster mode routes the listen to the PM2 daemon) and follows PM2's graceful-shutdown guide: on
 * SIGINT, close the server, then exit.
 */
import { addressFromEnv, serve } from './serve.mjs';

const served = await serve(process.env.BENCH_APP ?? 'raw', addressFromEnv());
process.on('SIGINT', () => {
  served.close().then(() => process.exit(0));
});

/** Every manager the bench knows, by name. */
import { clusterManager } from './cluster.mjs';
import { pm2Cluster } from './pm2.mjs';
import { single } from './single.mjs';
import { tgun, tgunBalanceOff, tgunBalanceOn, tgunNoStats } from './tgun.mjs';

/** @type {Record<string, import('./common.mjs').Manager>} */
export const MANAGERS = {
  tgun,
  'tgun-nostats': tgunNoStats,
  'tgun-balance-off': tgunBalanceOff,
  'tgun-balance-on': tgunBalanceOn,
  'cluster-rr': clusterManager('rr'),
  'cluster-none': clusterManager('none'),
  pm2: pm2Cluster,
  single,
};

/**
 * What the image carries; the Deployment's container args (k8s/deployment.yaml) add the addresses, the
 * graceful timeout and the proxy trust, and win over this file. No `workers` here on purpose: tgun then reads
 * WEB_CONCURRENCY, which the Deployment sets from the container's CPU limit.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.mjs:app',
  timeout: 30,
  // Longer than a typical cloud load balancer's idle timeout (60 s), so the balancer closes idle connections
  // first and never sends a request on one tgun is closing.
  keepAlive: 65,
  // Containers log to stdout/stderr.
  errorLog: '-',
});

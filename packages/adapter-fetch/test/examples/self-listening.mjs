// Written for `node self-listening.mjs`, the way Hono's Node docs start an app: serve() from @hono/node-server.
import { serve } from '@hono/node-server';
import { createApp } from './app.mjs';

const app = createApp();
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (info) => console.log(`Listening on ${info.port}`));

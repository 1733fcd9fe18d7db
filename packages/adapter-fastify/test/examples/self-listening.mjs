// Written for `node self-listening.mjs`: builds the app and listens at import time (top-level await).
import { createApp } from './app.mjs';

const app = createApp();
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });

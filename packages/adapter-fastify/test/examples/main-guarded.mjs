// Listens only when run as the main module; tgun imports it and serves the exported instance.
import { fileURLToPath } from 'node:url';
import { createApp } from './app.mjs';

export const app = createApp();
if (process.argv[1] === fileURLToPath(import.meta.url))
  await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });

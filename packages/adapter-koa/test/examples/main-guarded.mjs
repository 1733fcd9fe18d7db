// Listens only when run as the main module; tgun imports it and serves the export.
import { fileURLToPath } from 'node:url';
import { createApp } from './app.mjs';

export const app = createApp();
if (process.argv[1] === fileURLToPath(import.meta.url)) app.listen(Number(process.env.PORT ?? 3000));

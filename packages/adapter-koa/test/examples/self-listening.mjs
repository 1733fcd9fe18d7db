// Written for `node self-listening.mjs`: builds the app and listens at import time.
import { createApp } from './app.mjs';

createApp().listen(Number(process.env.PORT ?? 3000));

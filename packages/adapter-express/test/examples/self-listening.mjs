// Written for `node self-listening.mjs`: builds the app and listens at import time.
import { createApp } from './app.mjs';

const app = createApp();
app.listen(process.env.PORT ?? 3000, () => console.log(`Express started on port ${process.env.PORT ?? 3000}`));
export default app;

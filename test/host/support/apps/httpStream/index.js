// Enables HTTP streaming, which the local host refuses at start-up.
import { app } from '@azure/functions';

app.setup({ enableHttpStream: true });
app.http('streamed', { authLevel: 'anonymous', handler: async () => ({ body: 'streamed' }) });

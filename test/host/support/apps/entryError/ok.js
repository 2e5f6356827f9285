import { app } from '@azure/functions';

app.http('fine', { authLevel: 'anonymous', handler: async () => ({ body: 'fine' }) });

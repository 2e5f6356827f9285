// Registers the same function name twice: loading must fail.
import { app } from '@azure/functions';

app.http('twice', { handler: async () => ({ body: 'first' }) });
app.http('twice', { handler: async () => ({ body: 'second' }) });

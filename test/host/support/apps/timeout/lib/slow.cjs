// CommonJS entry file: a function that outlives the 1 s functionTimeout, and one that does not.
const { app } = require('@azure/functions');

app.http('slow', { authLevel: 'anonymous', handler: () => new Promise((resolve) => setTimeout(() => resolve({ body: 'late' }), 3000)) });
app.http('quick', { authLevel: 'anonymous', handler: async () => ({ body: 'quick' }) });

/**
 * Test support: the OpenAPI document as `GET /api/openapi.json` serves it, from the function's own
 * handler (no host), read back as the JSON a client gets.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { openApi } from '../../functions/openApi.js';
import type { OpenApiDocument } from '../../shared/arm/openApiDocument.js';

export async function servedOpenApi(url = 'http://127.0.0.1:7071/api/openapi.json'): Promise<{ status: number | undefined; document: OpenApiDocument }> {
  const response = await openApi(new HttpRequest({ method: 'GET', url }), new InvocationContext({ functionName: 'openApi' }));
  const document: OpenApiDocument = JSON.parse(JSON.stringify(response.jsonBody));
  return { status: response.status, document };
}

/**
 * The parts of the OpenAPI document every route shares: the ARM error envelope (`toErrorResponse.ts`
 * writes it), the `202 Accepted` of a long-running operation with its headers (`responses.ts`
 * `accepted`), and how callers authenticate (the Functions key; a Hyper-V host's registration key).
 */

/** A JSON Schema (2020-12, as OpenAPI 3.1 writes schemas). */
export type JsonSchema = Record<string, unknown>;

const errorEntry = (nested: boolean): JsonSchema => ({
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'What went wrong, for programs: `InvalidParameter`, `ResourceNotFound`, `OperationNotAllowed`, …' },
    message: { type: 'string', description: 'What went wrong, for people; a 400 names the field.' },
    target: { type: 'string', description: 'The field or resource the error is about (`properties.policyId`).' },
    ...(nested ? { details: { type: 'array', description: 'Every problem when there are several (one per invalid field).', items: { $ref: '#/components/schemas/ErrorDetail' } } } : {}),
  },
});

/** `#/components/schemas` entries of the error envelope. */
export const ERROR_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ErrorResponse: {
    type: 'object',
    description: 'The ARM error envelope: every error of the API is answered with it.',
    required: ['error'],
    properties: { error: errorEntry(true) },
  },
  ErrorDetail: errorEntry(false),
};

/** `#/components/headers`: what a long-running operation's 202 carries, as the official client polls it. */
export const LRO_HEADERS: Readonly<Record<string, JsonSchema>> = {
  'Azure-AsyncOperation': {
    description: "URL of the operation's status (`{ id, name, status, error? }`); poll it until `status` is `Succeeded`, `Failed` or `Canceled`.",
    required: true,
    schema: { type: 'string', format: 'uri' },
  },
  Location: {
    description: 'URL to GET once the operation succeeded: the resource it created or changed, or its result.',
    required: true,
    schema: { type: 'string', format: 'uri' },
  },
  'Retry-After': {
    description: 'Seconds to wait between polls.',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
};

/** `#/components/responses` every operation refers to. */
export const SHARED_RESPONSES: Readonly<Record<string, JsonSchema>> = {
  Accepted: {
    description: 'Accepted: a long-running operation, run as a job (`replicationJobs`).',
    headers: Object.fromEntries(Object.keys(LRO_HEADERS).map((name) => [name, { $ref: `#/components/headers/${name}` }])),
  },
  Error: {
    description: 'An error, in the ARM error envelope.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
  },
  Unauthorized: {
    description: 'The function key is missing or wrong; the Functions host answers without a body.',
  },
};

/** The security scheme of function-level routes: the Functions key in `x-functions-key` or `?code=`. */
export const FUNCTION_KEY_SCHEMES: Readonly<Record<string, JsonSchema>> = {
  functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: "The Function App's function (or master) key." },
  functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code', description: 'The same key as a query parameter.' },
};

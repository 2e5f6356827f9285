import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { openApiDocument, type DescribedRoute, type OpenApiDocument } from '../shared/arm/openApiDocument.js';
import { ok } from '../shared/arm/responses.js';
import { ARM_API, ARM_AUTH_LEVEL } from './arm/armApi.js';
import { hyperVSiteReportRoute } from './hyperVSiteReport.js';

let document: OpenApiDocument | undefined;

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of every route the app serves, generated from
 * the registrations and the zod schemas their handlers validate bodies with. Its server is the
 * URL it was fetched from, so tools call the app where they found it.
 */
export const openApi = armHandler(
  (request) => {
    // Every HTTP route the app serves, as registered, but the ARM catch-all (`zUnservedArmPaths`), which answers only
    // errors, and the web console (`portal`), whose page and scripts are no API; the unit test holds this to every
    // `app.http` registration.
    document ??= openApiDocument([
      ...ARM_API.map((fn): DescribedRoute => ({ name: fn.name, methods: fn.methods, route: fn.route, authLevel: ARM_AUTH_LEVEL, apiVersions: fn.handler.apiVersions, operations: fn.operations })),
      hyperVSiteReportRoute,
      openApiRoute,
    ]);
    const serverUrl = new URL('.', request.url).toString().replace(/\/$/, '');
    return Promise.resolve(ok({ ...document, servers: [{ url: serverUrl }] }));
  },
  { apiVersions: false },
);

/**
 * The function as registered, and as the document describes it. Anonymous: the document holds no
 * data of any vault and no secret, only the shape of an API whose original (ASR's) is published,
 * and tools (Swagger UI, client generators) fetch it without a key.
 */
export const openApiRoute: DescribedRoute = {
  name: 'openApi',
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'openapi.json',
  apiVersions: openApi.apiVersions,
  operations: { GET: { summary: 'This document: the OpenAPI 3.1 description of every route the app serves.' } },
};

app.http(openApiRoute.name, {
  methods: [...openApiRoute.methods],
  authLevel: openApiRoute.authLevel,
  route: openApiRoute.route,
  handler: openApi,
});

/**
 * Test support: validating JSON against the schemas of the served OpenAPI document, with ajv 8's
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) and its formats.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../../shared/arm/openApiDocument.js';
import type { JsonSchema } from '../../shared/arm/openApiComponents.js';

const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);

const COMPONENT_REF = '#/components/schemas/';

/**
 * The schema `ref` (`#/components/schemas/Name`) points at, standing alone: every component it
 * refers to comes along as a `$defs` entry.
 */
export function componentSchema(document: OpenApiDocument, ref: string): JsonSchema {
  if (!ref.startsWith(COMPONENT_REF)) throw new RangeError(`Not a component schema: ${ref}`);
  const rewrite = (schema: unknown): JsonSchema => JSON.parse(JSON.stringify(schema).replaceAll(`"${COMPONENT_REF}`, '"#/$defs/'));
  const schemas = document.components.schemas;
  const target = schemas[ref.slice(COMPONENT_REF.length)];
  if (!target) throw new RangeError(`The document has no schema ${ref}`);
  return { ...rewrite(target), $defs: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, rewrite(schema)])) };
}

/** Validates `value` against `schema`: the problems found, as `path: message` lines (none when valid). */
export function schemaProblems(schema: JsonSchema, value: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'}: ${error.message ?? 'invalid'}`);
}

/**
 * Test support: the request body examples of a Markdown document (the README). An example is a code
 * block preceded by a marker naming its operation as `GET /api/openapi.json` lists it:
 *
 *     <!-- openapi: PUT /subscriptions/{subscriptionId}/…/replicationPolicies/{policyName} -->
 *
 * optionally followed by a JSON pointer when the body sits inside the block (`#/body` of a queue
 * command). The body is the block's JSON, after an HTTP request line (`PUT …?api-version=…`) if it
 * starts with one, or the data of a `curl` command (`-d '…'`, `--data '…'`, `--json '…'`).
 * Unmarked blocks that look like a request body are returned too, so a test can insist on markers.
 */

/** A marked example: where it is, the operation it names and its body (or why it has none). */
export interface MarkedExample {
  /** 1-based line of the block's opening fence. */
  line: number;
  method: string;
  path: string;
  body: { value: unknown } | { error: string };
}

/** A code block without marker that looks like a request body. */
export interface UnmarkedBody {
  line: number;
  /** The block's first line, to name it. */
  firstLine: string;
}

const MARKER = /^<!--\s*openapi:\s*([A-Z]+)\s+(\/\S*)(?:\s+(#\/\S*))?\s*-->$/;
const REQUEST_LINE = /^(GET|PUT|POST|PATCH|DELETE)\s+\S+/;
const CURL_DATA = /(?:\s-d|--data(?:-raw|-binary)?|--json)\s+'([^']*)'/;
const BODY_LANGUAGES = new Set(['', 'json', 'jsonc', 'http', 'sh', 'bash', 'shell', 'console']);
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

interface Block {
  line: number;
  language: string;
  text: string;
  /** The nearest non-blank line before the fence. */
  before: string;
}

function blocksOf(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++;
    let previous = start - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
    blocks.push({ line: start + 1, language: (open[1] ?? '').toLowerCase(), text: lines.slice(start + 1, end).join('\n'), before: (lines[previous] ?? '').trim() });
    i = end;
  }
  return blocks;
}

/** The body text of a block, or `undefined` when it carries none (a request line alone, a curl without data). */
function bodyText(block: Block): string | undefined {
  if (SHELL_LANGUAGES.has(block.language)) return /\bcurl\b/.test(block.text) ? CURL_DATA.exec(block.text)?.[1] : undefined;
  const [first = '', ...rest] = block.text.split('\n');
  if (REQUEST_LINE.test(first.trim())) return rest.join('\n').trim() === '' ? undefined : rest.join('\n');
  return block.text;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parse(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The value at a JSON pointer (`#/body/properties`). */
function at(value: unknown, pointer: string): { value: unknown } | { error: string } {
  let current = value;
  for (const token of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current) && /^\d+$/.test(key) && Number(key) < current.length) current = current[Number(key)];
    else if (isObject(current) && Object.hasOwn(current, key)) current = current[key];
    else return { error: `nothing at ${pointer}` };
  }
  return { value: current };
}

/** Whether an unmarked block looks like a request body: a write with a body, curl data, or JSON shaped as an ARM request. */
function looksLikeRequestBody(block: Block): boolean {
  if (!BODY_LANGUAGES.has(block.language)) return false;
  const text = bodyText(block);
  if (text === undefined) return false;
  const first = block.text.split('\n')[0]?.trim() ?? '';
  if (/^(PUT|POST|PATCH)\s/.test(first) || SHELL_LANGUAGES.has(block.language)) return true;
  const parsed = parse(text);
  if (!('value' in parsed) || !isObject(parsed.value)) return false;
  // An ARM request body is `{ properties: … }` (a resource as answered also has an `id`); a queue command carries one in `body`.
  return ('properties' in parsed.value && !('id' in parsed.value)) || isObject(parsed.value.body);
}

export function requestBodyExamples(markdown: string): { marked: MarkedExample[]; unmarked: UnmarkedBody[] } {
  const marked: MarkedExample[] = [];
  const unmarked: UnmarkedBody[] = [];
  for (const block of blocksOf(markdown)) {
    const marker = MARKER.exec(block.before);
    if (!marker) {
      if (looksLikeRequestBody(block)) unmarked.push({ line: block.line, firstLine: block.text.split('\n')[0] ?? '' });
      continue;
    }
    const [, method = '', path = '', pointer] = marker;
    const text = bodyText(block);
    const parsed = text === undefined ? { error: 'the block has no body' } : parse(text);
    marked.push({ line: block.line, method, path, body: 'value' in parsed && pointer ? at(parsed.value, pointer) : parsed });
  }
  return { marked, unmarked };
}

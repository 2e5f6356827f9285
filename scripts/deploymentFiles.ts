/**
 * What the Function App's deployment package holds, chosen from a built checkout: `host.json`, a
 * `package.json` trimmed to what the Functions host and Node read, every compiled function under
 * `dist/functions/` with the modules it imports (followed through relative imports, so nothing the
 * app does not load ships), the web console's built assets (`dist/portal/`) and the production
 * dependency tree as `package-lock.json` records it (no devDependency, no nested copy twice; type
 * declarations, source maps and docs of packages left out, since nothing reads them at run time).
 */
import fs from 'node:fs';
import path from 'node:path';

/** One file of the package: where it goes in the zip, and where it is read from. */
export interface DeploymentFile {
  zipPath: string;
  source: string;
}

/** The fields of package.json the deployed app keeps. */
const MANIFEST_FIELDS = ['name', 'version', 'private', 'description', 'type', 'main', 'engines', 'dependencies'] as const;

/** Files of dependencies nothing loads at run time. */
const UNUSED_AT_RUN_TIME = /(\.map|\.[cm]?ts|\.md|\.markdown)$/i;

/** Relative module specifiers of compiled ES modules: `from './x.js'`, `import './x.js'`, `import('./x.js')`. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

/** The package.json of the deployed app: name, type, `main` glob, engines and runtime dependencies only. */
export function deploymentManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(MANIFEST_FIELDS.filter((field) => manifest[field] !== undefined).map((field) => [field, manifest[field]]));
}

/** Every `.js` file under `dir` (relative to `root`, with `/`), sorted. */
function filesUnder(root: string, dir: string, keep: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && keep(entry.name)) found.push(child);
    }
  };
  if (fs.existsSync(path.join(root, dir))) walk(dir);
  return found.sort();
}

/** The compiled functions and every module they import, transitively, relative to `root`. */
export function appModules(root: string): string[] {
  const pending = filesUnder(root, 'dist/functions', (name) => name.endsWith('.js'));
  if (pending.length === 0) throw new Error(`No compiled functions under ${path.join(root, 'dist/functions')}: run 'npm run build' first.`);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] as string));
      if (!fs.existsSync(path.join(root, target))) throw new Error(`${file} imports ${match[1]}, which is not in the build.`);
      pending.push(target);
    }
  }
  return [...seen].sort();
}

/** The directories of the production dependency tree, from package-lock.json (those installed). */
export function productionPackages(root: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, LockPackage> };
  return Object.entries(lock.packages ?? {})
    .filter(([dir, entry]) => dir !== '' && !entry.dev && !entry.devOptional && !entry.link)
    .map(([dir]) => dir)
    .filter((dir) => fs.existsSync(path.join(root, dir, 'package.json')))
    .sort();
}

/** A dependency's own files (its nested `node_modules` are packages of their own), less what nothing loads. */
function packageFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (entry.isFile() && (entry.name === 'package.json' || !UNUSED_AT_RUN_TIME.test(entry.name))) found.push(child);
    }
  };
  walk(dir);
  return found;
}

/** Every file of the deployment package, in zip order. `manifest` is the package.json written in its place. */
export function deploymentFiles(root: string): DeploymentFile[] {
  const at = (relative: string): DeploymentFile => ({ zipPath: relative, source: path.join(root, relative) });
  return [
    at('host.json'),
    ...appModules(root).map(at),
    ...filesUnder(root, 'dist/portal', () => true).map(at),
    ...productionPackages(root).flatMap((dir) => packageFiles(root, dir)).map(at),
  ];
}

/**
 * `npm run package`: builds, then writes the Function App's deployment zip
 * (`artifacts/site-recovery-functions.zip`, or `--out <file>`) from the build: see
 * `deploymentFiles.ts` for what it holds. Deploy it with
 * `az functionapp deployment source config-zip --src <zip>` (README, "Deploy to Azure"). The zip is
 * reproducible: the same build gives the same bytes (fixed timestamps, sorted entries).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { zipSync, type Zippable } from 'fflate';
import { deploymentFiles, deploymentManifest } from './deploymentFiles.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The earliest time a zip entry can carry: entries dated alike make the zip's bytes depend only on its files. */
const ENTRY_TIME = new Date('1980-01-01T00:00:00Z');

/** The zip's bytes, with the trimmed package.json. */
export function packageZip(root: string): { zip: Uint8Array; files: number } {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const entries: Zippable = { 'package.json': [Buffer.from(`${JSON.stringify(deploymentManifest(manifest), null, 2)}\n`), { mtime: ENTRY_TIME }] };
  const files = deploymentFiles(root);
  for (const file of files) entries[file.zipPath] = [fs.readFileSync(file.source), { mtime: ENTRY_TIME }];
  return { zip: zipSync(entries, { level: 6 }), files: files.length + 1 };
}

const program = new Command('package')
  .description('Write the Function App deployment zip from the build (run npm run build first).')
  .option('--out <file>', 'where to write the zip', path.join(repoRoot, 'artifacts/site-recovery-functions.zip'))
  .action((options: { out: string }) => {
    const { zip, files } = packageZip(repoRoot);
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, zip);
    console.log(`${path.relative(process.cwd(), path.resolve(options.out)) || options.out}: ${files} files, ${(zip.length / 1048576).toFixed(1)} MiB`);
  });

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) program.parse();

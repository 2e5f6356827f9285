/** The TypeScript sources under some of the repository's folders, with their text (for tests that read what the code imports or reads). */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/startHost.js';

export function typeScriptSources(dirs: readonly string[]): Array<{ file: string; text: string }> {
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ file: path.join(dir, file), text: fs.readFileSync(path.join(repoRoot, dir, file), 'utf8') })),
  );
}

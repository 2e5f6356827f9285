/**
 * package.json's runtime side, as the deployment package takes it: `dependencies` are exactly the
 * packages the deployed code (functions/, shared/) imports — the CLI's, scripts' and local host's
 * libraries are devDependencies — and `engines.node` is a range every production dependency
 * (per package-lock.json) runs on; and the build starts from an empty `dist/`.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/clients.js';
import { typeScriptSources } from '../../support/sourceFiles.js';

interface Manifest {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
}

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  engines?: { node?: string } | string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };

/** The package names of every bare import (static, dynamic, type-only) under `dirs`. */
function importedPackages(dirs: string[]): Set<string> {
  const specifiers = /(?:\bfrom\s*|\bimport\s*\(\s*)['"]((?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*)(?:\/[^'"]*)?['"]/g;
  return new Set(typeScriptSources(dirs).flatMap(({ text }) => [...text.matchAll(specifiers)].map((match) => match[1] as string)));
}

describe('runtime dependencies', () => {
  it('are exactly what functions/ and shared/ import; the tools their own import stays in devDependencies', () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...importedPackages(['functions', 'shared'])].sort());
    const tools = importedPackages(['host', 'scripts', 'cli', 'bench', 'examples']);
    for (const name of tools) if (!(name in manifest.dependencies)) expect(manifest.devDependencies, name).toHaveProperty([name]);
    expect(manifest.devDependencies).toHaveProperty(['commander']);
    expect(manifest.devDependencies).toHaveProperty(['@azure/arm-recoveryservices-siterecovery']);
  });

  it("declare a Node range every production dependency's engines allow", () => {
    const ours = manifest.engines.node;
    expect(semver.validRange(ours)).not.toBeNull();
    const refused = Object.entries(lock.packages)
      .filter(([dir, entry]) => dir !== '' && !entry.dev && !entry.devOptional)
      .map(([dir, entry]) => [dir, Array.isArray(entry.engines) ? undefined : entry.engines?.node] as const)
      .filter((pair): pair is readonly [string, string] => pair[1] !== undefined && semver.validRange(pair[1]) !== null)
      .filter(([, theirs]) => !semver.subset(ours, theirs))
      .map(([dir, theirs]) => `${dir}: ${theirs}`);
    expect(refused, `engines.node '${ours}'`).toEqual([]);
    // Not narrower than the platform needs: both Node majors Flex Consumption offers are in range.
    expect(semver.satisfies('20.19.0', ours) && semver.satisfies('22.12.0', ours)).toBe(true);
  });

});

describe('npm run build', () => {
  it('starts from an empty dist/: a function removed from the sources lingers neither in the build nor in the package', () => {
    const [clean, ...rest] = manifest.scripts.build?.split(' && ') ?? [];
    expect(rest[0]).toBe('tsc -p tsconfig.json');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-'));
    try {
      fs.mkdirSync(path.join(dir, 'dist/functions'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'dist/functions/removedFunction.js'), 'export {};');
      execSync(clean ?? '', { cwd: dir });
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

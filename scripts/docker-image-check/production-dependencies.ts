import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyTree } from './file-tree';

interface LockedPackage {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

/**
 * What `npm prune --omit=dev` leaves, rebuilt from the `node_modules` installed in project
 * directory `from` into `to`'s (hard links): every package of `package-lock.json` but those only development
 * needs. As npm decides it: `dev` goes, `devOptional` stays (it goes only when optional
 * dependencies are omitted too). Optional packages for another platform may be absent.
 */
export function copyProductionDependencies(lockfile: { packages: Record<string, LockedPackage> }, from: string, to: string): void {
  const entries = Object.entries(lockfile.packages).filter(([path]) => path.startsWith('node_modules/'));
  const kept = entries
    .filter(([, locked]) => !locked.dev)
    .map(([path]) => path)
    .sort();
  const copied: string[] = [];
  for (const path of kept) {
    // A nested package (node_modules/a/node_modules/b) came along with its parent.
    if (copied.some((parent) => path.startsWith(parent + '/'))) continue;
    const source = join(from, path);
    if (!existsSync(source)) {
      if (lockfile.packages[path].optional || lockfile.packages[path].devOptional) continue;
      throw new Error(`${path} is in package-lock.json but not installed: the shared node_modules is out of date`);
    }
    copyTree(source, join(to, path), { hardLinks: true });
    copied.push(path);
  }
  // …and a development-only package nested in a production one goes, as prune removes it.
  for (const [path, locked] of entries) {
    if (locked.dev && copied.some((parent) => path.startsWith(parent + '/'))) rmSync(join(to, path), { recursive: true, force: true });
  }
}

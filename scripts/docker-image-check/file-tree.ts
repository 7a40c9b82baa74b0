import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DockerIgnore } from './dockerignore';

/** The files Docker would send as the build context: everything under `root` not in `.dockerignore`. */
export function contextFiles(root: string, ignore: DockerIgnore): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!ignore.excludesEverythingUnder(path)) walk(path);
      } else if (!ignore.excludes(path)) {
        files.push(path);
      }
    }
  };
  walk('');
  return files.sort();
}

/**
 * Copies a file, symlink or directory. With `hardLinks`, files are hard-linked instead of
 * copied (fast, and nothing is duplicated on disk); they fall back to a copy across devices.
 * Whoever passes `hardLinks` must treat the copies as read-only: they share their bytes.
 */
export function copyTree(from: string, to: string, { hardLinks = false } = {}): void {
  const stat = lstatSync(from);
  mkdirSync(dirname(to), { recursive: true });
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) copyTree(join(from, name), join(to, name), { hardLinks });
  } else if (hardLinks) {
    try {
      linkSync(from, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(from, to);
    }
  } else {
    copyFileSync(from, to);
  }
}

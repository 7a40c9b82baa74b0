/**
 * `.dockerignore` as Docker reads it (moby's patternmatcher): one pattern a line, `#` comments,
 * paths relative to the context root (a leading `/` is dropped), `*` and `?` within one path
 * segment, `**` across any number of them, `!` re-includes, the last matching line wins, and a
 * pattern that matches a directory excludes everything under it.
 */
export class DockerIgnore {
  private readonly rules: { pattern: string; regex: RegExp; include: boolean }[];

  constructor(text: string) {
    this.rules = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const include = line.startsWith('!');
        const pattern = cleanPath((include ? line.slice(1) : line).trim());
        return { pattern, regex: globToRegExp(pattern, { crossSegments: true }), include };
      });
  }

  /** True when `path` (relative to the context root, `/`-separated) is left out of the context. */
  excludes(path: string): boolean {
    const candidates = ancestorsAndSelf(cleanPath(path));
    let excluded = false;
    for (const rule of this.rules) {
      if (candidates.some((candidate) => rule.regex.test(candidate))) excluded = !rule.include;
    }
    return excluded;
  }

  /**
   * True when nothing under directory `path` can be in the context, so a walk may skip it:
   * it is excluded and no `!` line could bring back something below it.
   */
  excludesEverythingUnder(path: string): boolean {
    if (!this.excludes(path)) return false;
    const prefix = cleanPath(path) + '/';
    return !this.rules.some((rule) => rule.include && (rule.pattern.startsWith(prefix) || rule.pattern.includes('*')));
  }
}

/**
 * A Docker glob as an anchored regular expression. `crossSegments` turns on `**` (the
 * .dockerignore dialect); COPY sources use plain `filepath.Match`, where `*` never crosses `/`.
 */
export function globToRegExp(glob: string, { crossSegments }: { crossSegments: boolean }): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '*' && crossSegments && glob[index + 1] === '*') {
      index++;
      if (glob[index + 1] === '/') {
        index++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = glob.indexOf(']', index + 1);
      if (end === -1) throw new Error(`Unterminated character class in pattern "${glob}"`);
      // Go's classes (`[a-z]`, `[^0-9]`) read the same as a regular expression's.
      source += '[' + glob.slice(index + 1, end) + ']';
      index = end;
    } else if (char === '\\' && index + 1 < glob.length) {
      index++;
      source += escapeRegExp(glob[index]);
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`);
}

/** `./a//b/` → `a/b`, as Go's filepath.Clean does for relative paths (a leading `/` dropped). */
export function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function ancestorsAndSelf(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? '\\' + char : char;
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const LIBRARY = join(ROOT, 'src');
const MAX_LINES = 300;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The library folder a file belongs to: `src/gateway/handshake.ts` → `gateway`; root files → `.`. */
function folderOf(file: string): string {
  const parts = relative(LIBRARY, file).split('/');
  return parts.length === 1 ? '.' : parts[0];
}

/** Folder → folders it imports, from the relative imports of the library's non-spec files. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(LIBRARY).filter((path) => !path.endsWith('.spec.ts'))) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? graph.set(from, new Set()).get(from)!;
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = folderOf(resolve(dirname(file), specifier));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle between folders, each as the path that closes it. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at !== -1) found.push([...path.slice(at), next]);
      else visit(next, [...path, next]);
    }
  };
  for (const start of graph.keys()) visit(start, [start]);
  return found;
}

describe('The source layout', () => {
  it('has no import cycle between the folders of the library (dependencies point one way)', () => {
    expect(cycles(folderGraph()).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['a'])],
    ]);
    expect(cycles(graph)).toContainEqual(['a', 'b', 'a']);
  });

  it(`keeps every source file under ${MAX_LINES} lines`, () => {
    // Not bench/: its floor servers are each one file on purpose, the least code that does the job.
    const roots = ['src', 'server/src', 'client/src', 'test', 'examples', 'scripts'].map((path) => join(ROOT, path));
    const long = roots
      .flatMap(sourceFiles)
      .map((file) => ({ file: posix.normalize(relative(ROOT, file)), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('keeps the server out of the library: the library never imports the server, the tests or the SDK', () => {
    const offenders = sourceFiles(LIBRARY)
      .filter((path) => !path.endsWith('.spec.ts'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)]
          .map(([, specifier]) => relative(ROOT, resolve(dirname(file), specifier)))
          .filter((target) => !target.startsWith('src/'))
          .map((target) => `${relative(ROOT, file)} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });
});

import { cleanPath, DockerIgnore, globToRegExp } from './dockerignore';

describe(DockerIgnore.name, () => {
  it('excludes a matching path and everything under a matching directory', () => {
    const ignore = new DockerIgnore('node_modules\n# a comment\n\n/dist/\n');
    expect(ignore.excludes('node_modules')).toBe(true);
    expect(ignore.excludes('node_modules/ws/index.js')).toBe(true);
    expect(ignore.excludes('dist/main.js')).toBe(true);
    expect(ignore.excludes('src/main.ts')).toBe(false);
    expect(ignore.excludes('src/node_modules.ts')).toBe(false);
  });

  it('anchors patterns at the context root: `*.md` is the root only, `**/*.md` anywhere', () => {
    const rootOnly = new DockerIgnore('*.md');
    expect(rootOnly.excludes('README.md')).toBe(true);
    expect(rootOnly.excludes('client/README.md')).toBe(false);
    const anywhere = new DockerIgnore('**/*.md');
    expect(anywhere.excludes('README.md')).toBe(true);
    expect(anywhere.excludes('client/README.md')).toBe(true);
  });

  it('lets the last matching line win, so `!` brings a file back', () => {
    const ignore = new DockerIgnore('scripts\n!scripts/build-inbox-page.js');
    expect(ignore.excludes('scripts/token.ts')).toBe(true);
    expect(ignore.excludes('scripts/build-inbox-page.js')).toBe(false);
    expect(ignore.excludesEverythingUnder('scripts')).toBe(false);
    expect(new DockerIgnore('!scripts/a.js\nscripts').excludes('scripts/a.js')).toBe(true);
  });

  it('walks into an excluded directory only when a `!` line could bring something back', () => {
    expect(new DockerIgnore('test').excludesEverythingUnder('test')).toBe(true);
    expect(new DockerIgnore('test\n!test/fixtures').excludesEverythingUnder('test')).toBe(false);
    expect(new DockerIgnore('src/x').excludesEverythingUnder('src')).toBe(false);
  });
});

describe(globToRegExp.name, () => {
  it('keeps `*` and `?` inside one path segment, as filepath.Match does', () => {
    const copySource = globToRegExp('package*.json', { crossSegments: false });
    expect(copySource.test('package-lock.json')).toBe(true);
    expect(copySource.test('package/x.json')).toBe(false);
    expect(globToRegExp('src/?.ts', { crossSegments: false }).test('src/a.ts')).toBe(true);
    expect(globToRegExp('[a-c].ts', { crossSegments: false }).test('d.ts')).toBe(false);
    expect(globToRegExp('a.b', { crossSegments: false }).test('axb')).toBe(false);
  });
});

describe(cleanPath.name, () => {
  it('drops a leading slash, `.` and empty segments, and resolves `..`', () => {
    expect(cleanPath('/a//b/./c/')).toBe('a/b/c');
    expect(cleanPath('a/../b')).toBe('b');
  });
});

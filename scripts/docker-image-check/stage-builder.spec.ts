import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDockerfile } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import { contextFiles } from './file-tree';
import { StageBuilder, UnsupportedInstructionError } from './stage-builder';

/** A small project whose `npm run build` reads scripts/build.js and lib/, like the real one. */
const PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'p', scripts: { build: 'node scripts/build.js' } }),
  'scripts/build.js':
    "require('fs').mkdirSync('dist');require('fs').writeFileSync('dist/out.txt',require('fs').readFileSync('lib/a/in.txt'))",
  'lib/a/in.txt': 'built',
  'README.md': 'not needed',
};

const DOCKERFILE = (copies: string[]) =>
  [
    'FROM node:20 AS build',
    'WORKDIR /app',
    'COPY package.json ./',
    ...copies,
    'RUN npm run build',
    'FROM node:20-slim AS runtime',
    'WORKDIR /srv',
    'COPY --from=build /app/dist ./dist',
  ].join('\n');

describe(StageBuilder.name, () => {
  let directory: string;
  const logged: string[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'stage-builder-spec-'));
    for (const [path, text] of Object.entries(PROJECT)) {
      mkdirSync(dirname(join(directory, 'project', path)), { recursive: true });
      writeFileSync(join(directory, 'project', path), text);
    }
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function build(dockerfile: string, dockerignore: string) {
    const project = join(directory, 'project');
    const files = contextFiles(project, new DockerIgnore(dockerignore));
    const builder = new StageBuilder({ directory: project, files }, join(directory, 'image'), (line) => logged.push(line));
    return parseDockerfile(dockerfile).map((stage) => builder.build(stage));
  }

  it('builds from the copied files only, and copies between stages', () => {
    const [, runtime] = build(DOCKERFILE(['COPY scripts ./scripts', 'COPY lib ./lib']), '*.md');
    expect(readFileSync(join(runtime.root, 'srv/dist/out.txt'), 'utf8')).toBe('built');
    expect(existsSync(join(directory, 'image/build/app/lib/a/in.txt'))).toBe(true);
    expect(existsSync(join(directory, 'image/build/app/README.md'))).toBe(false);
  });

  it('fails the build when the Dockerfile does not copy a file the build reads', () => {
    expect(() => build(DOCKERFILE(['COPY scripts ./scripts']), '')).toThrow('Dockerfile line 5: npm run build failed');
  });

  it('fails the COPY of a file that .dockerignore leaves out of the context', () => {
    expect(() => build(DOCKERFILE(['COPY scripts ./scripts', 'COPY lib ./lib']), 'scripts')).toThrow(
      'Dockerfile line 4: COPY scripts: nothing in the build context matches it (missing, or left out by .dockerignore)',
    );
  });

  it('stops at a RUN command it cannot reproduce instead of skipping it', () => {
    expect(() => build('FROM x\nRUN curl -o x https://example.com', '')).toThrow(UnsupportedInstructionError);
  });
});

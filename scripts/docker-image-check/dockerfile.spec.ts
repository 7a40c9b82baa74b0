import { parseCopy, parseDockerfile, parseEnv, parseExecForm, splitRunCommands } from './dockerfile';

describe(parseDockerfile.name, () => {
  it('reads stages, joins continued lines and drops comments, remembering where each line started', () => {
    const stages = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'FROM node:20 AS build',
        'RUN apt-get update \\',
        '  # a comment inside the instruction',
        ' && apt-get install -y g++',
        'COPY src ./src',
        '',
        'from node:20-slim',
        'CMD ["node", "dist/main.js"]',
      ].join('\n'),
    );
    expect(stages.map(({ name, base }) => ({ name, base }))).toEqual([
      { name: 'build', base: 'node:20' },
      { name: '1', base: 'node:20-slim' },
    ]);
    expect(stages[0].instructions).toEqual([
      { keyword: 'RUN', args: 'apt-get update  && apt-get install -y g++', line: 3 },
      { keyword: 'COPY', args: 'src ./src', line: 6 },
    ]);
    expect(stages[1].instructions[0]).toEqual({ keyword: 'CMD', args: '["node", "dist/main.js"]', line: 9 });
  });

  it('refuses an instruction before the first FROM', () => {
    expect(() => parseDockerfile('COPY a b\nFROM x')).toThrow('Dockerfile line 1: COPY before FROM');
  });
});

describe(parseCopy.name, () => {
  it('reads flags, several sources and the JSON form', () => {
    expect(parseCopy('--from=build --chown=node:node /app/dist ./dist')).toEqual({
      from: 'build',
      sources: ['/app/dist'],
      destination: './dist',
    });
    expect(parseCopy('tsconfig.json tsconfig.build.json ./')).toEqual({
      from: undefined,
      sources: ['tsconfig.json', 'tsconfig.build.json'],
      destination: './',
    });
    expect(parseCopy('["a b.txt", "/c/"]')).toEqual({ from: undefined, sources: ['a b.txt'], destination: '/c/' });
    expect(() => parseCopy('only-one')).toThrow('needs a source and a destination');
  });
});

describe(parseEnv.name, () => {
  it('reads key=value pairs, quoted values and the old one-variable form', () => {
    expect(parseEnv('NODE_ENV=production  PORT=3000 DATABASE_URL=sqlite:/data/n.sqlite')).toEqual({
      NODE_ENV: 'production',
      PORT: '3000',
      DATABASE_URL: 'sqlite:/data/n.sqlite',
    });
    expect(parseEnv('GREETING="hello world"')).toEqual({ GREETING: 'hello world' });
    expect(parseEnv('GREETING hello world')).toEqual({ GREETING: 'hello world' });
  });
});

describe(splitRunCommands.name, () => {
  it('splits a shell-form RUN on && and keeps any other shell syntax whole', () => {
    expect(splitRunCommands('npm run build  && npm prune --omit=dev')).toEqual(['npm run build', 'npm prune --omit=dev']);
    expect(splitRunCommands('make || true')).toEqual(['make || true']);
  });
});

describe(parseExecForm.name, () => {
  it('reads HEALTHCHECK options and an exec-form command', () => {
    expect(parseExecForm('--interval=15s --start-period=20s CMD ["node", "-e", "x"]')).toEqual({
      options: { interval: '15s', 'start-period': '20s' },
      argv: ['node', '-e', 'x'],
    });
    expect(() => parseExecForm('node dist/main.js')).toThrow('only the exec form');
  });
});

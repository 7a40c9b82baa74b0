import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, symlinkSync, unlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { cleanPath, globToRegExp } from './dockerignore';
import { parseCopy, parseEnv, parseExecForm, splitRunCommands, Stage } from './dockerfile';
import { copyTree } from './file-tree';
import { copyProductionDependencies } from './production-dependencies';

/** A stage's filesystem after its instructions ran: `root` on this machine stands for `/`. */
export interface BuiltStage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd?: string[];
  healthcheck?: { options: Record<string, string>; argv: string[] };
  stopSignal?: NodeJS.Signals;
}

/** The repository as a build sees it: its directory and the files its build context holds. */
export interface BuildContext {
  directory: string;
  files: string[];
}

/** Raised for an instruction the check cannot reproduce faithfully: teach it, don't skip it. */
export class UnsupportedInstructionError extends Error {}

/**
 * Replays a Dockerfile stage on this machine, in a directory that stands for the image's `/`.
 * COPY takes only what the build context holds, so a file the Dockerfile or `.dockerignore`
 * leaves out is missing here as it would be in the image. RUN commands are reproduced one by
 * one where that can be done without Docker (see `runCommand`); any other command stops the check.
 */
export class StageBuilder {
  constructor(
    private readonly context: BuildContext,
    private readonly workDirectory: string,
    private readonly log: (line: string) => void,
  ) {}

  private readonly built = new Map<string, BuiltStage>();

  build(stage: Stage): BuiltStage {
    const result: BuiltStage = { name: stage.name, root: join(this.workDirectory, stage.name), workdir: '/', env: {} };
    mkdirSync(result.root, { recursive: true });
    this.log(`-- stage ${stage.name} (FROM ${stage.base})`);
    for (const { keyword, args, line } of stage.instructions) {
      const where = `Dockerfile line ${line}`;
      switch (keyword) {
        case 'WORKDIR':
          result.workdir = posix.resolve(result.workdir, args);
          mkdirSync(this.hostPath(result, result.workdir), { recursive: true });
          break;
        case 'ENV':
          Object.assign(result.env, parseEnv(args));
          break;
        case 'COPY':
          this.copy(result, args, where);
          break;
        case 'RUN':
          for (const command of splitRunCommands(args)) this.runCommand(result, command, where);
          break;
        case 'CMD':
          result.cmd = parseExecForm(args).argv;
          break;
        case 'HEALTHCHECK':
          result.healthcheck = parseExecForm(args);
          break;
        case 'STOPSIGNAL':
          result.stopSignal = args as NodeJS.Signals;
          break;
        case 'USER':
        case 'VOLUME':
        case 'EXPOSE':
        case 'LABEL':
        case 'ARG':
          // Metadata of the image: nothing to reproduce in its filesystem.
          break;
        default:
          throw new UnsupportedInstructionError(`${where}: ${keyword} is not reproduced by this check`);
      }
    }
    this.built.set(stage.name, result);
    return result;
  }

  private copy(stage: BuiltStage, args: string, where: string): void {
    const { from, sources, destination } = parseCopy(args);
    const target = posix.resolve(stage.workdir, destination);
    const intoDirectory = destination.endsWith('/') || sources.length > 1;
    if (from) {
      const source = this.built.get(from);
      if (!source) throw new UnsupportedInstructionError(`${where}: COPY --from=${from} names no earlier stage`);
      for (const path of sources) {
        const absolute = posix.resolve(source.workdir, path);
        const hostSource = this.hostPath(source, absolute);
        if (!existsSync(hostSource)) throw new Error(`${where}: COPY --from=${from} ${path}: stage ${from} has no ${absolute}`);
        const hostTarget = this.hostPath(stage, intoDirectory ? posix.join(target, posix.basename(absolute)) : target);
        // Hard links: the stages here are read, never edited in place.
        copyTree(hostSource, hostTarget, { hardLinks: true });
      }
      return;
    }
    for (const source of sources) {
      const pattern = cleanPath(source);
      const matcher = globToRegExp(pattern, { crossSegments: false });
      let matched = 0;
      for (const file of this.context.files) {
        const relative = pathUnderMatch(file, matcher);
        if (relative === undefined) continue;
        matched++;
        // A directory's contents, or what a wildcard matched, land inside the destination.
        const into = intoDirectory || !matcher.test(file) || /[*?[]/.test(source);
        copyTree(join(this.context.directory, file), this.hostPath(stage, into ? posix.join(target, relative) : target));
      }
      if (!matched) {
        throw new Error(`${where}: COPY ${source}: nothing in the build context matches it (missing, or left out by .dockerignore)`);
      }
    }
  }

  /**
   * The RUN commands this check knows how to reproduce, and how. Everything it substitutes is
   * printed, so the log says exactly what was and was not done as in the image.
   */
  private runCommand(stage: BuiltStage, command: string, where: string): void {
    const cwd = this.hostPath(stage, stage.workdir);
    if (/^apt-get\s/.test(command) || /^rm -rf \/var\/lib\/apt\/lists\/\*$/.test(command)) {
      this.log(`   skipped: ${command}   (system packages: this machine's own are used)`);
    } else if (/^npm ci(\s|$)/.test(command)) {
      for (const file of ['package.json', 'package-lock.json']) {
        if (!existsSync(join(cwd, file))) throw new Error(`${where}: npm ci: no ${file} in ${stage.workdir} (COPY it first)`);
      }
      symlinkSync(realpathSync(join(this.context.directory, 'node_modules')), join(cwd, 'node_modules'));
      this.log(`   instead of: ${command}   (node_modules: this repository's installed dependencies, linked)`);
    } else if (/^npm run [\w:.-]+$/.test(command)) {
      this.log(`   run: ${command}`);
      const result = spawnSync('npm', command.split(' ').slice(1), {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        // The image's environment: its ENV lines, not this shell's settings.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...stage.env },
      });
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
      if (result.status !== 0) throw new Error(`${where}: ${command} failed (exit ${result.status ?? result.signal}):\n${output}`);
      for (const line of output.split('\n')) if (line.trim()) this.log(`     ${line}`);
    } else if (/^npm prune --omit=dev(\s|$)/.test(command)) {
      const lockfile = JSON.parse(readFileSync(join(cwd, 'package-lock.json'), 'utf8'));
      const nodeModules = join(cwd, 'node_modules');
      if (!lstatSync(nodeModules).isSymbolicLink()) throw new Error(`${where}: ${command}: expected the node_modules linked by npm ci`);
      unlinkSync(nodeModules); // the link only, never the shared install it points to
      copyProductionDependencies(lockfile, this.context.directory, cwd);
      this.log(`   run: ${command}   (as npm decides it from package-lock.json; packages hard-linked from the install)`);
    } else if (/^mkdir -p \/\S+$/.test(command)) {
      mkdirSync(this.hostPath(stage, command.split(' ')[2]), { recursive: true });
    } else if (/^chown\s/.test(command)) {
      this.log(`   skipped: ${command}   (the image's users do not exist here)`);
    } else {
      throw new UnsupportedInstructionError(
        `${where}: RUN ${command}: this check does not know how to reproduce it (scripts/docker-image-check/stage-builder.ts)`,
      );
    }
  }

  hostPath(stage: BuiltStage, containerPath: string): string {
    return join(stage.root, containerPath);
  }
}

/**
 * Where `file` lands under a COPY source matching it: its base name when the pattern names the
 * file, its path below the directory when the pattern names one of its directories.
 */
function pathUnderMatch(file: string, matcher: RegExp): string | undefined {
  if (matcher.test(file)) return posix.basename(file);
  const parts = file.split('/');
  for (let depth = parts.length - 1; depth > 0; depth--) {
    if (matcher.test(parts.slice(0, depth).join('/'))) return parts.slice(depth).join('/');
  }
  return undefined;
}

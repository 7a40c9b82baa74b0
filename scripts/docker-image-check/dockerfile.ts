/** One Dockerfile instruction after line continuations are joined: `COPY src ./src` at line 13. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** A `FROM … AS name` stage and the instructions up to the next `FROM`. */
export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, in order. Comments and `\` continuations as Docker reads them. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const start = index + 1;
    let logical = lines[index].trim();
    if (!logical || logical.startsWith('#')) continue;
    while (logical.endsWith('\\')) {
      logical = logical.slice(0, -1);
      // Comment and empty lines inside a continued instruction are dropped, as Docker does.
      do index++;
      while (index < lines.length && (!lines[index].trim() || lines[index].trim().startsWith('#')));
      if (index >= lines.length) break;
      logical += ' ' + lines[index].trim();
    }
    const match = /^(\S+)\s*(.*)$/s.exec(logical)!;
    const instruction = { keyword: match[1].toUpperCase(), args: match[2].trim(), line: start };
    if (instruction.keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`Dockerfile line ${start}: cannot read FROM ${instruction.args}`);
      stages.push({ base: from[1], name: from[2] ?? String(stages.length), instructions: [] });
    } else if (!stages.length) {
      if (instruction.keyword !== 'ARG') throw new Error(`Dockerfile line ${start}: ${instruction.keyword} before FROM`);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** `COPY [--from=stage] [--chown=…] [--chmod=…] [--link] <source>… <destination>`. */
export interface CopyInstruction {
  from?: string;
  sources: string[];
  destination: string;
}

export function parseCopy(args: string): CopyInstruction {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  const rest = words.join(' ');
  const paths = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : words;
  if (paths.length < 2) throw new Error(`COPY ${args}: needs a source and a destination`);
  return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}

/** `ENV A=1 B="two words"` (or the old `ENV A 1`) as a map. */
export function parseEnv(args: string): Record<string, string> {
  const old = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(args);
  if (old) return { [old[1]]: old[2] };
  const env: Record<string, string> = {};
  for (const pair of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    env[pair[1]] = pair[2].startsWith('"') ? JSON.parse(pair[2]) : pair[2];
  }
  return env;
}

/**
 * The commands of a shell-form `RUN a && b && c`, one by one. A command that uses any other
 * shell syntax is returned whole, so the caller sees it and can refuse what it cannot reproduce.
 */
export function splitRunCommands(args: string): string[] {
  if (args.startsWith('[')) return [(JSON.parse(args) as string[]).join(' ')];
  return args.split(/\s+&&\s+/).map((command) => command.trim());
}

const OPTION = /^--([a-z-]+)=(\S+)\s+/;

/** `CMD ["node", "dist/main.js"]`, or `HEALTHCHECK --interval=15s … CMD [...]`: the exec-form argv. */
export function parseExecForm(args: string): { options: Record<string, string>; argv: string[] } {
  const options: Record<string, string> = {};
  let rest = args;
  for (let option = OPTION.exec(rest); option; option = OPTION.exec(rest)) {
    options[option[1]] = option[2];
    rest = rest.slice(option[0].length);
  }
  rest = rest.replace(/^CMD\s+/i, '');
  if (!rest.startsWith('[')) throw new Error(`"${args}": only the exec form (["cmd", "arg"]) is understood`);
  return { options, argv: JSON.parse(rest) as string[] };
}

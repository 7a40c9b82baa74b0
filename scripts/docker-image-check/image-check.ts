// The Docker image without a Docker engine: npm run check:docker (run by .ci/run).
// Replays the Dockerfile's stages in a temporary directory — COPY only what the build context
// holds after .dockerignore, the RUN commands one by one (npm run build for real) — then starts
// the final stage's CMD in its layout (dist/ and production dependencies only) and waits for its
// HEALTHCHECK. What it cannot reproduce (base image, apt-get, npm ci from the lockfile, users)
// is printed as it goes; docs/deployment.md lists it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runContainer } from './container-run';
import { parseDockerfile } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import { contextFiles } from './file-tree';
import { StageBuilder } from './stage-builder';

async function main(): Promise<void> {
  const started = Date.now();
  const repository = resolve(__dirname, '..', '..');
  const stages = parseDockerfile(readFileSync(join(repository, 'Dockerfile'), 'utf8'));
  const ignore = new DockerIgnore(readFileSync(join(repository, '.dockerignore'), 'utf8'));
  const files = contextFiles(repository, ignore);
  const work = mkdtempSync(join(tmpdir(), 'docker-image-check-'));
  const log = (line: string) => console.log(line);
  log(`== Dockerfile without Docker: ${stages.length} stages, ${files.length} files in the build context, in ${work}`);
  try {
    const builder = new StageBuilder({ directory: repository, files }, work, log);
    const built = stages.map((stage) => builder.build(stage));
    await runContainer(built[built.length - 1], log);
    log(`== Dockerfile without Docker: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`== Dockerfile without Docker: FAILED\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

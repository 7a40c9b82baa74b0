/**
 * Loads a package the module declares as an optional peer, only when a feature that needs it
 * is configured; a host that does not use the feature never installs it. Missing, the error
 * names the package and the feature that asked for it.
 */
export function requireOptional<T>(name: string, feature: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`);
    if (missing) throw new Error(`${feature} needs the package "${name}": npm install ${name}`);
    throw error;
  }
}

import { ConfigurationException } from './configuration.exception';

/**
 * Reads ALLOWED_ORIGINS: a comma list of origins such as `https://app.example.com`. Each
 * entry must be exactly an origin (scheme, host, optional port; no path), because the
 * browser's `Origin` header is compared to it character for character.
 */
export function parseAllowedOrigins(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new ConfigurationException(`ALLOWED_ORIGINS entry "${entry}" is not an origin such as https://app.example.com`);
      }
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== entry.toLowerCase().replace(/\/$/, '')) {
        throw new ConfigurationException(
          `ALLOWED_ORIGINS entry "${entry}" must be scheme://host[:port] with http or https and no path, e.g. https://app.example.com`,
        );
      }
      return url.origin;
    });
}

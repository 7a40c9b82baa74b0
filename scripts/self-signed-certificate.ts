import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A self-signed P-256 certificate for 127.0.0.1, valid for a day, made with the openssl command
 * in `directory`: for the HTTPS push services of the tests and the benchmark.
 */
export function selfSignedCertificate(directory: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(directory, 'self-signed-key.pem');
  const certFile = join(directory, 'self-signed-cert.pem');
  const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      ...subject,
    ],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

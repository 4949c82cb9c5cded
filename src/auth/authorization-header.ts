import { invalid } from '../common/errors/ironic-errors';

/**
 * The credentials of an `Authorization: <scheme> <credentials>` header, in
 * Ironic's wording when the header is malformed or names another scheme (400).
 */
export function credentialsOf(header: string, scheme: 'basic' | 'bearer'): string {
  const [type, credentials, extra] = header.trim().split(/\s+/);
  if (!type || !credentials || extra !== undefined) throw invalid('Could not parse Authorization header');
  if (type.toLowerCase() !== scheme) throw invalid(`Unsupported authorization type "${type}"`);
  return credentials;
}

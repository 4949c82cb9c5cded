/** Now, as Ironic writes timestamps: ISO-8601 UTC with microseconds and "+00:00". */
export function nowIso(): string {
  return `${new Date().toISOString().slice(0, 23)}000+00:00`;
}

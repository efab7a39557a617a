/**
 * Paths of redirected files, resolved as OpenDSS does: relative to the script that names them. Pure string
 * work (both `/` and `\` separate directories) so the reader stays free of I/O; the resolver passed in
 * decides what a path means.
 */
export function dirnameOf(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const slash = normalized.lastIndexOf('/');
  return slash < 0 ? '' : normalized.slice(0, slash);
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

/** `joinScriptPath('a/b', '../c.dss')` is `a/c.dss`; an absolute target is kept as it is. */
export function joinScriptPath(directory: string, target: string): string {
  const normalizedTarget = target.replace(/\\/g, '/');
  const joined =
    isAbsolute(normalizedTarget) || directory.length === 0
      ? normalizedTarget
      : `${directory}/${normalizedTarget}`;
  const absolute = joined.startsWith('/');
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else parts.push(part);
  }
  return `${absolute ? '/' : ''}${parts.join('/')}`;
}

// Which file a browser's request names inside a folder the hub serves (the console's files,
// GraphiQL's bundle): only inside that folder, only of the types it serves, only a regular file;
// and the content type it is answered with.
import { stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

/**
 * The file `relative` names inside `root`, when it is one that may be served: no way out of the
 * folder, an extension of `extensions`, a regular file. Undefined otherwise.
 */
export async function fileIn(
  root: string,
  relative: string,
  extensions: readonly string[],
): Promise<string | undefined> {
  if (relative.includes('\0') || !extensions.includes(extname(relative))) return undefined
  const file = resolve(root, relative)
  if (!file.startsWith(root + sep)) return undefined
  try {
    return (await stat(file)).isFile() ? file : undefined
  } catch {
    return undefined
  }
}

/** The content types of the files the hub's pages serve, by extension. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
}

/** The content type a served file is answered with (an unknown extension: bytes). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'
}

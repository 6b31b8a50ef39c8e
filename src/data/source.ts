// What a source string names: a file path, `sqlite:path.db`, `postgres://…`, or an `http(s)://…` URL.
// Also how to show a source in messages without its password.

import { DataSourceError } from '../core/errors.js';

export type SourceSpec =
  | { kind: 'file'; path: string }
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'http'; url: string };

const SUPPORTED = 'a file path (CSV, TSV, JSON, NDJSON, Parquet, optionally .gz), sqlite:path.db, postgres://… or http(s)://…';

export function parseSource(source: string): SourceSpec {
  const s = source.trim();
  if (s.length === 0) throw new DataSourceError('no data source given', { hint: `give ${SUPPORTED}` });
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s)?.[1]?.toLowerCase();
  // one letter before ":" is a Windows drive, not a scheme
  if (!scheme || scheme.length === 1) {
    if (/\.(db|sqlite|sqlite3)$/i.test(s)) return { kind: 'sqlite', path: s };
    return { kind: 'file', path: s };
  }
  switch (scheme) {
    case 'file':
      return { kind: 'file', path: decodeURIComponent(s.replace(/^file:(\/\/)?/i, '')) };
    case 'sqlite':
    case 'sqlite3':
      return { kind: 'sqlite', path: s.replace(/^sqlite3?:(\/\/)?/i, '') };
    case 'postgres':
    case 'postgresql':
      return { kind: 'postgres', url: s };
    case 'http':
    case 'https':
      return { kind: 'http', url: s };
    default:
      throw new DataSourceError(`unknown source scheme "${scheme}:" in ${redactSource(s)}`, { hint: `give ${SUPPORTED}` });
  }
}

/** The source with any password replaced by ***, safe for messages and reports. */
export function redactSource(source: string): string {
  return source.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):([^@/]*)@/i, '$1:***@').replace(/([?&]password=)[^&]*/i, '$1***');
}

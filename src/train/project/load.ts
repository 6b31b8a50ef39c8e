// Reading kiln.yaml: YAML syntax errors name the line, schema errors name the field (schema.ts), and a data path
// is taken relative to the file's folder, so a project works from wherever it is run.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { KilnError } from '../../core/errors.js';
import { familyByName, FAMILY_NAMES } from '../families/index.js';
import { parseProject, type Project } from './schema.js';

export interface LoadedProject {
  readonly project: Project;
  /** absolute path of kiln.yaml */
  readonly file: string;
  /** its folder: the project folder (.kiln/ lives here) */
  readonly dir: string;
  /** the data source, resolved against `dir` when it is a path */
  readonly source: string;
}

/** Parse YAML text into a validated Project (`file` only names it in messages). */
export function parseProjectYaml(text: string, file = 'kiln.yaml'): Project {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new KilnError('E_PROJECT', `${file}${line ? ` line ${line}` : ''}: not valid YAML (${e.message.split('\n')[0]})`, { hint: 'check the indentation and the quotes around values with ":" or "#"' });
  }
  const project = parseProject(doc.toJS(), file);
  for (const [field, names] of [['families.include', project.families.include], ['families.exclude', project.families.exclude]] as const) {
    const unknown = (names ?? []).filter((n) => !familyByName(n));
    if (unknown.length)
      throw new KilnError('E_PROJECT', `${file} is invalid: ${field}: expected known family names (${FAMILY_NAMES.join(', ')}), found ${unknown.map((n) => JSON.stringify(n)).join(', ')}`, {
        issues: [{ path: field.split('.'), expected: `one of ${FAMILY_NAMES.join(', ')}`, received: unknown.join(', ') }],
      });
  }
  return project;
}

/** A file path (not a URL or database source) is resolved against the project folder. */
export function resolveSource(source: string, dir: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source);
  if (scheme && !/^[a-z]:[\\/]/i.test(source)) return source;
  return path.resolve(dir, source);
}

export async function loadProject(file = 'kiln.yaml'): Promise<LoadedProject> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new KilnError('E_PROJECT', code === 'ENOENT' ? `no project file at ${file}` : `cannot read ${file}: ${(e as Error).message}`, {
      hint: code === 'ENOENT' ? 'create one with: kiln init <data> --goal "…"' : undefined,
    });
  }
  const project = parseProjectYaml(text, path.basename(absolute));
  const dir = path.dirname(absolute);
  return { project, file: absolute, dir, source: resolveSource(project.data.source, dir) };
}

// Writing kiln.yaml with the yaml package's Document API, so that every choice kiln init made carries its reason
// as a comment: beside the value when short, on the line above when long.

import YAML from 'yaml';

export interface Commented {
  /** the field's path in the document, e.g. ['split', 'scheme'] */
  readonly path: readonly (string | number)[];
  readonly comment: string;
}

/** beyond this many characters a reason goes on its own line above the field */
const INLINE_LIMIT = 72;

/** Render `content` as YAML; `comments` attach reasons to fields; `header` lines open the file. */
export function renderYaml(content: Record<string, unknown>, comments: readonly Commented[], header: readonly string[], flowLists: readonly (readonly string[])[] = [], quoted: readonly (readonly string[])[] = []): string {
  const doc = new YAML.Document(content);
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  for (const { path, comment } of comments) {
    const text = ` ${comment.replace(/\s*\n\s*/g, ' ')}`;
    const node = doc.getIn(path, true);
    const parentPath = path.slice(0, -1);
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    const key = path[path.length - 1];
    const pair = YAML.isMap(parent) ? parent.items.find((p) => YAML.isScalar(p.key) && p.key.value === key) : undefined;
    if (YAML.isScalar(node) && text.length <= INLINE_LIMIT) node.comment = text;
    else if (pair && YAML.isScalar(pair.key)) pair.key.commentBefore = wrap(text);
    else if (YAML.isNode(node)) node.commentBefore = wrap(text);
  }
  // labels such as Yes / No / 1 stay strings for every YAML reader
  for (const path of quoted) {
    const node = doc.getIn(path, true);
    if (YAML.isScalar(node)) node.type = 'QUOTE_DOUBLE';
  }
  for (const path of flowLists) {
    const node = doc.getIn(path, true);
    if (YAML.isSeq(node) || YAML.isMap(node)) node.flow = true;
  }
  return doc.toString({ lineWidth: 0 });
}

/** a long comment over several lines of about 100 characters */
function wrap(text: string): string {
  const words = text.trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 1 > 100) {
      lines.push(` ${line}`);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(` ${line}`);
  return lines.join('\n');
}

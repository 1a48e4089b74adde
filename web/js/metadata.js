// The strategy header (docs/strategy-metadata.md) in the browser: parse the tag lines of the
// header, render the canonical header text, and put it back into a script in place of its tags.

const LIST_TAGS = ['indicators', 'context', 'symbols'];
const KNOWN = ['name', 'description', 'author', 'indicators', 'context', 'symbols', 'risk', 'param'];

const tagRe = /^\s*--+\s*@(\w+)\b\s?(.*)$/;
const isComment = (l) => /^\s*--/.test(l);
const isBlank = (l) => /^\s*$/.test(l);

/** Lines of the header: comments and blanks before the first line of code ([start, end) indices). */
function headerEnd(lines) {
  let i = 0;
  let inLong = false;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (inLong) { if (/\]=*\]/.test(l)) inLong = false; continue; }
    if (/^\s*--\[=*\[/.test(l)) { if (!/\]=*\]/.test(l.replace(/^\s*--\[=*\[/, ''))) inLong = true; continue; }
    if (isComment(l) || isBlank(l)) continue;
    break;
  }
  return i;
}

const splitList = (s) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

export function emptyMetadata() {
  return { name: '', description: '', author: '', indicators: [], context: [], symbols: [], risk: '', params: [] };
}

/** Parses the header of `code` into metadata (lenient: the server's validator reports errors). */
export function parseHeader(code) {
  const lines = code.split('\n');
  const end = headerEnd(lines);
  const m = emptyMetadata();
  const desc = [];
  for (let i = 0; i < end; i++) {
    const t = tagRe.exec(lines[i]);
    if (!t) continue;
    const tag = t[1].toLowerCase();
    const value = t[2].trim();
    if (tag === 'name' || tag === 'author') m[tag] = value;
    else if (tag === 'description') { if (value) desc.push(value); }
    else if (tag === 'risk') m.risk = value.toLowerCase();
    else if (LIST_TAGS.includes(tag)) m[tag].push(...splitList(value));
    else if (tag === 'param') {
      const p = /^([A-Za-z_]\w*)\s+(\S+)(?:\s*\[\s*([^\],\s]+)\s*[, ]\s*([^\]\s]+)\s*\])?\s*(.*)$/.exec(value);
      if (p) m.params.push({ name: p[1], defaultValue: p[2], minimum: p[3] ?? '', maximum: p[4] ?? '', summary: p[5] || '' });
      else if (value) m.params.push({ name: value.split(/\s+/)[0], defaultValue: '', minimum: '', maximum: '', summary: '' });
    }
  }
  m.description = desc.join(' ');
  return m;
}

function wrap(text, width) {
  const words = text.split(/\s+/).filter(Boolean);
  const out = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) { out.push(line); line = w; }
    else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** The canonical header: one tag a line in the documented order, empty fields left out. */
export function headerText(m) {
  const out = [];
  const one = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
  if (one(m.name)) out.push(`-- @name ${one(m.name)}`);
  for (const l of wrap(one(m.description), 88)) out.push(`-- @description ${l}`);
  if (one(m.author)) out.push(`-- @author ${one(m.author)}`);
  for (const tag of LIST_TAGS) if (m[tag] && m[tag].length) out.push(`-- @${tag} ${m[tag].join(', ')}`);
  if (one(m.risk)) out.push(`-- @risk ${one(m.risk)}`);
  for (const p of m.params || []) {
    if (!one(p.name)) continue;
    let line = `-- @param ${one(p.name)} ${one(p.defaultValue) || '0'}`;
    if (one(p.minimum) !== '' && one(p.maximum) !== '') line += ` [${one(p.minimum)}, ${one(p.maximum)}]`;
    if (one(p.summary)) line += ` ${one(p.summary)}`;
    out.push(line);
  }
  return out;
}

/** Replaces the known tag lines of the header with the rendered ones, at the place of the first tag. */
export function applyHeader(code, m) {
  const lines = code.split('\n');
  const end = headerEnd(lines);
  let first = -1;
  const keep = [];
  for (let i = 0; i < lines.length; i++) {
    const t = i < end ? tagRe.exec(lines[i]) : null;
    if (t && KNOWN.includes(t[1].toLowerCase())) {
      if (first < 0) first = keep.length;
      continue;
    }
    keep.push(lines[i]);
  }
  const header = headerText(m);
  if (first < 0) first = 0;
  keep.splice(first, 0, ...header);
  return keep.join('\n');
}

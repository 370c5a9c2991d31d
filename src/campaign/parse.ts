/**
 * parseCampaign(text, file): YAML text -> validated campaign or diagnostics with
 * file:line:column. Pure: reads no file (rate cards are resolved by load.ts).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics.js';
import { campaignSchema, type CampaignRaw } from './schema.js';
import { closest } from './suggest.js';

export const MAX_CAMPAIGN_BYTES = 2 * 1024 * 1024;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A campaign file over MAX_CAMPAIGN_BYTES is refused before it is parsed. */
export function tooLarge(file: string, size: number): Diagnostic {
  return {
    code: 'CAMPAIGN_TOO_LARGE',
    severity: 'error',
    file,
    line: 1,
    column: 1,
    message: 'the file is too large to be a campaign',
    expected: `at most ${MAX_CAMPAIGN_BYTES} bytes`,
    found: `${size} bytes`,
  };
}

export interface ParsedCampaign {
  file: string;
  raw?: CampaignRaw;
  diagnostics: Diagnostic[];
  /** Where a key path sits in the file, for later (semantic) diagnostics. */
  locate(path: readonly (string | number)[], onKey?: boolean): { line: number; column: number } | undefined;
}

export function parseCampaign(text: string, file: string): ParsedCampaign {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const none: ParsedCampaign = { file, diagnostics, locate: () => undefined };

  if (text.length > MAX_CAMPAIGN_BYTES) {
    diagnostics.push(tooLarge(file, text.length));
    return none;
  }
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    diagnostics.push({
      code: 'NOT_TEXT',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: 'the file is not UTF-8 text',
      expected: 'a YAML campaign',
      found: 'binary data',
    });
    return none;
  }

  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number) => lineCounter.linePos(offset);
  // The yaml package's warnings (an unresolved tag such as !money or !!js/function, an
  // unknown directive) mean the document would not be read as written: errors here.
  for (const err of [...doc.errors, ...doc.warnings]) {
    const p = pos(err.pos[0]);
    diagnostics.push({
      code: err.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : err.code === 'TAG_RESOLVE_FAILED' ? 'YAML_UNKNOWN_TAG' : 'YAML_SYNTAX',
      severity: 'error',
      file,
      line: p.line,
      column: p.col,
      message: err.message.split('\n')[0] ?? err.message,
    });
  }
  const locate = (path: readonly (string | number)[], onKey = false) => {
    const r = rangeOf(doc, path, onKey);
    if (!r) return undefined;
    const p = pos(r[0]);
    return { line: p.line, column: p.col };
  };
  const result: ParsedCampaign = { file, diagnostics, locate };
  if (diagnostics.some((d) => d.severity === 'error')) return result;

  // Numbers reach zod as their source text, so decimals stay exact; refuse keys that
  // would touch Object.prototype.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        const p = pos(pair.key.range?.[0] ?? 0);
        diagnostics.push({
          code: 'FORBIDDEN_KEY',
          severity: 'error',
          file,
          line: p.line,
          column: p.col,
          message: `the key ${String(pair.key.value)} is not allowed`,
          found: String(pair.key.value),
        });
      }
    },
    Scalar(_, node) {
      if (typeof node.value === 'number' || typeof node.value === 'bigint') node.value = node.source ?? String(node.value);
    },
  });
  if (diagnostics.length > 0) return result;

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    diagnostics.push({
      code: 'YAML_ALIAS_LIMIT',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: `the YAML expands too far: ${(e as Error).message}`,
      expected: 'at most 100 alias expansions',
    });
    return result;
  }
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.push({
      code: 'SCHEMA_TYPE',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: 'a campaign file is a YAML mapping',
      expected: 'a mapping with id, currency, period, services, ...',
      found: data === null || data === undefined ? 'an empty document' : Array.isArray(data) ? 'a list' : typeof data,
    });
    return result;
  }

  const parsed = campaignSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(...issueToDiagnostics(issue, doc, file, locate));
    return result;
  }
  result.raw = parsed.data;
  return result;
}

function issueToDiagnostics(issue: z.core.$ZodIssue, doc: Document, file: string, locate: ParsedCampaign['locate']): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const dotted = path.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const at = locate([...path, key], true) ?? locate(path) ?? { line: 1, column: 1 };
      const suggestion = closest(key, knownKeys(path));
      return {
        code: 'UNKNOWN_KEY',
        severity: 'error' as const,
        file,
        line: at.line,
        column: at.column,
        field: [...path, key].join('.'),
        message: `unknown key "${key}"${dotted ? ` in ${dotted}` : ''}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        expected: suggestion ? `"${suggestion}"` : `one of ${knownKeys(path).join(', ')}`,
        found: `"${key}"`,
      };
    });
  }
  const node = doc.getIn(path, true) as Node | undefined;
  const missing = node === undefined;
  const at = locate(path) ?? nearestLocation(path, locate);
  let code = 'SCHEMA_INVALID';
  let expected: string | undefined;
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    code = missing ? 'MISSING_KEY' : 'WRONG_TYPE';
    expected = issue.expected;
    message = missing ? `missing required key "${String(path[path.length - 1])}"` : `expected ${issue.expected}`;
  } else if (issue.code === 'invalid_value') {
    code = 'INVALID_VALUE';
    expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    message = `expected ${expected}`;
  } else if (issue.code === 'invalid_union') {
    code = 'WRONG_TYPE';
  }
  return [
    {
      code,
      severity: 'error',
      file,
      line: at.line,
      column: at.column,
      field: dotted || undefined,
      message: dotted ? `${dotted}: ${message}` : message,
      expected,
      found: missing ? '(nothing)' : describeNode(node),
    },
  ];
}

function nearestLocation(path: (string | number)[], locate: ParsedCampaign['locate']): { line: number; column: number } {
  for (let n = path.length - 1; n >= 0; n--) {
    const at = locate(path.slice(0, n));
    if (at) return at;
  }
  return { line: 1, column: 1 };
}

function describeNode(node: unknown): string {
  if (isScalar(node)) {
    if (node.value === null) return 'null';
    return node.source !== undefined ? JSON.stringify(node.source) : JSON.stringify(node.value);
  }
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  return String(node);
}

function rangeOf(doc: Document, path: readonly (string | number)[], onKey: boolean): [number, number] | undefined {
  if (path.length === 0) return doc.contents?.range ? [doc.contents.range[0], doc.contents.range[1]] : undefined;
  if (onKey) {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const last = path[path.length - 1];
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last) && item.key.range) {
          return [item.key.range[0], item.key.range[1]];
        }
      }
    }
  }
  const node = doc.getIn(path, true) as Node | undefined;
  if (node && typeof node === 'object' && 'range' in node && node.range) return [node.range[0], node.range[1]];
  return undefined;
}

/** The keys the schema knows at a path, for "did you mean" suggestions. */
export function knownKeys(path: readonly (string | number)[]): string[] {
  let schemas: z.core.$ZodType[] = [campaignSchema];
  for (const seg of path) {
    const next: z.core.$ZodType[] = [];
    for (const s of schemas.flatMap(unwrap)) {
      const def = s._zod.def;
      if (def.type === 'object') {
        const shape = (def as z.core.$ZodObjectDef).shape;
        const child = shape[String(seg)];
        if (child) next.push(child);
      } else if (def.type === 'record') next.push((def as z.core.$ZodRecordDef).valueType);
      else if (def.type === 'array') next.push((def as z.core.$ZodArrayDef).element);
    }
    schemas = next;
  }
  const keys = new Set<string>();
  for (const s of schemas.flatMap(unwrap)) {
    if (s._zod.def.type === 'object') for (const k of Object.keys((s._zod.def as z.core.$ZodObjectDef).shape)) keys.add(k);
  }
  keys.delete('$schema');
  return [...keys];
}

function unwrap(s: z.core.$ZodType): z.core.$ZodType[] {
  const def = s._zod.def as z.core.$ZodTypeDef & {
    innerType?: z.core.$ZodType;
    in?: z.core.$ZodType;
    options?: z.core.$ZodType[];
  };
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? unwrap(def.innerType) : [s];
    case 'pipe':
      return def.in ? unwrap(def.in) : [s];
    case 'union':
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [s];
  }
}

/**
 * loadCampaigns(paths): the only part of campaign handling that touches the disk.
 * Reads YAML files (a folder: every *.yaml / *.yml in it), their rate-card CSVs, and
 * runs the schema and semantic checks.
 */
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { parseCampaign, tooLarge, MAX_CAMPAIGN_BYTES } from './parse.js';
import { earningOf, resolveCampaign } from './resolve.js';
import { FORMULA_RE, inlineRateCard, parseRateCard, type RateCard } from '../earn/rate-card.js';
import { runChecks } from './checks.js';
import type { Campaign } from './model.js';

export interface LoadResult {
  campaigns: Campaign[];
  diagnostics: Diagnostic[];
}

export function campaignFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(path, f));
}

function readText(file: string, maxBytes: number): { text?: string; diagnostic?: Diagnostic } {
  let st;
  try {
    st = statSync(file);
  } catch {
    return { diagnostic: { code: 'FILE_NOT_FOUND', severity: 'error', file, message: 'no such file' } };
  }
  if (st.size > maxBytes) return { diagnostic: tooLarge(file, st.size) };
  const buf = readFileSync(file);
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(buf);
  return { text };
}

/** A rate card CSV larger than this is refused (a rate card lists SKUs, not transactions). */
export const MAX_RATE_CARD_BYTES = 16 * 1024 * 1024;

/**
 * The rate card a campaign names, confined to the rules tree the user pointed at: a
 * relative path, inside `root` (after symbolic links), a regular file, size-limited.
 * Anything else is refused without reading it, and the message never shows its content.
 */
function rateCardPath(ref: string, file: string, root: string): { path?: string; problem?: { message: string; expected: string } } {
  const inside = `a relative path to a CSV file inside ${root}`;
  if (isAbsolute(ref) || /^[a-zA-Z]:[\\/]/.test(ref)) return { problem: { message: `the rate card path ${ref} is absolute`, expected: inside } };
  const path = resolvePath(dirname(file), ref);
  const within = (p: string, r: string) => {
    const rel = relative(r, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  if (!within(path, resolvePath(root))) return { problem: { message: `the rate card path ${ref} leads out of the rules folder ${root}`, expected: inside } };
  let real: string;
  let st;
  try {
    real = realpathSync(path);
    st = statSync(real);
  } catch {
    return { problem: { message: `the rate card ${ref} does not exist`, expected: `a CSV file at ${path}` } };
  }
  if (!within(real, realpathSync(resolvePath(root))))
    return { problem: { message: `the rate card ${ref} is a link that leads out of the rules folder ${root}`, expected: inside } };
  if (!st.isFile()) return { problem: { message: `the rate card ${ref} is not a regular file`, expected: inside } };
  if (st.size > MAX_RATE_CARD_BYTES)
    return {
      problem: {
        message: `the rate card ${ref} is ${st.size} bytes, over the ${MAX_RATE_CARD_BYTES}-byte limit`,
        expected: 'a rate card CSV of SKUs and rates',
      },
    };
  return { path: real };
}

/** `root`: the folder given to --rules, or the campaign file's own folder (rate cards stay inside it). */
export function loadCampaignFile(file: string, root = dirname(file)): { campaign?: Campaign; diagnostics: Diagnostic[] } {
  const { text, diagnostic } = readText(file, MAX_CAMPAIGN_BYTES);
  if (diagnostic || text === undefined) return { diagnostics: [diagnostic!] };
  const parsed = parseCampaign(text, file);
  const diagnostics = [...parsed.diagnostics];
  const raw = parsed.raw;
  if (!raw) return { diagnostics };

  const rateCards = new Map<string, RateCard>();
  for (const [name, service] of Object.entries(raw.services)) {
    const { key, method, raw: cfg } = earningOf(service);
    const ref = method.rateCardRef(cfg);
    if (ref === undefined) continue;
    if (typeof ref === 'string') {
      const where = rateCardPath(ref, file, root);
      let text: string | undefined;
      if (where.path) {
        try {
          text = readFileSync(where.path, 'utf8');
        } catch {
          where.problem = { message: `the rate card ${ref} cannot be read`, expected: 'a readable CSV file' };
        }
      }
      if (text === undefined) {
        const at = parsed.locate(['services', name, key, 'rates']);
        diagnostics.push({
          code: where.path ? 'RATE_CARD_UNREADABLE' : /does not exist/.test(where.problem?.message ?? '') ? 'RATE_CARD_NOT_FOUND' : 'RATE_CARD_PATH',
          severity: 'error',
          file,
          line: at?.line,
          column: at?.column,
          message: `${where.problem?.message ?? 'unreadable'} (service ${name})`,
          expected: where.problem?.expected,
          found: ref,
        });
        continue;
      }
      const { card, diagnostics: ds } = parseRateCard(text, join(dirname(file), ref));
      diagnostics.push(...ds);
      rateCards.set(name, card);
    } else {
      const at = parsed.locate(['services', name, key, 'rates']);
      for (const sku of Object.keys(ref)) {
        if (!FORMULA_RE.test(sku)) continue;
        const k = parsed.locate(['services', name, key, 'rates', sku], true) ?? at;
        diagnostics.push({
          code: 'RATE_CARD_FORMULA',
          severity: 'error',
          file,
          line: k?.line,
          column: k?.column,
          field: `services.${name}.${key}.rates`,
          message: 'a SKU that starts like a spreadsheet formula is refused',
          expected: 'a SKU id',
          found: sku,
        });
      }
      rateCards.set(name, inlineRateCard(ref, file, at?.line ?? 1));
    }
  }
  diagnostics.push(...runChecks(parsed, raw, rateCards));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { campaign: resolveCampaign(raw, file, rateCards), diagnostics };
}

export function loadCampaigns(paths: readonly string[]): LoadResult {
  const campaigns: Campaign[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = campaignFiles(p);
    } catch {
      diagnostics.push({ code: 'FILE_NOT_FOUND', severity: 'error', file: p, message: 'no such file or folder' });
      continue;
    }
    if (files.length === 0) {
      diagnostics.push({ code: 'NO_CAMPAIGNS', severity: 'error', file: p, message: 'no *.yaml or *.yml campaign files in this folder' });
    }
    let root = p;
    try {
      if (!statSync(p).isDirectory()) root = dirname(p);
    } catch {
      root = dirname(p);
    }
    for (const f of files) {
      const r = loadCampaignFile(f, root);
      diagnostics.push(...r.diagnostics);
      if (r.campaign) campaigns.push(r.campaign);
    }
  }
  diagnostics.push(...checkAcrossCampaigns(campaigns));
  return { campaigns, diagnostics };
}

/**
 * Whether two campaigns can credit one partner for one row: not a transacting-partner
 * campaign and a reseller one (a row's reseller is never its transacting partner), nor
 * two claim campaigns of different claim types (a CPOR and a PAL campaign credit
 * different partners by design).
 */
function canCreditSamePartner(a: Campaign, b: Campaign): boolean {
  const pair = new Set([a.credit, b.credit]);
  if (pair.has('transacting_partner') && pair.has('reseller') && pair.size === 2) return false;
  if (a.claims && b.claims && ![...a.claims.types].some((t) => b.claims!.types.has(t))) return false;
  return true;
}

/** Checks across the campaigns loaded together: repeated ids, double pay for one SKU (a SKU spelt two ways: skuSpellings, on the campaigns that run). */
export function checkAcrossCampaigns(campaigns: readonly Campaign[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // By lower-case id: registrations.csv names a campaign in any letter case.
  const byId = new Map<string, Campaign>();
  for (const c of campaigns) {
    const first = byId.get(c.id.toLowerCase());
    if (first) {
      out.push({
        code: 'DUPLICATE_CAMPAIGN_ID',
        severity: 'error',
        file: c.file,
        line: 1,
        column: 1,
        field: 'id',
        message: `campaign id ${c.id} is also used by ${first.file}${first.id === c.id ? '' : ` (as ${first.id}; ids match in any letter case)`}`,
        expected: 'a unique id',
        found: c.id,
      });
    } else byId.set(c.id.toLowerCase(), c);
  }
  const lowerSkus = (c: Campaign) => new Set(c.services.flatMap((s) => [...(s.skus ?? [])].map((k) => k.toLowerCase())));
  for (let i = 0; i < campaigns.length; i++) {
    for (let j = i + 1; j < campaigns.length; j++) {
      const a = campaigns[i]!;
      const b = campaigns[j]!;
      if (a.period.end < b.period.start || b.period.end < a.period.start) continue;
      if (!canCreditSamePartner(a, b)) continue;
      const skusA = lowerSkus(a);
      const shared = [...lowerSkus(b)].filter((k) => skusA.has(k));
      if (shared.length > 0) {
        out.push({
          code: 'DOUBLE_PAY',
          severity: 'warning',
          file: b.file,
          line: 1,
          column: 1,
          message: `campaigns ${a.id} and ${b.id} both pay for ${shared.slice(0, 5).join(', ')}${shared.length > 5 ? ', ...' : ''} in overlapping periods, and can credit the same partner for the same row`,
        });
      }
    }
  }
  return out;
}

/**
 * SKU ids match in any letter case, and a row's SKU takes the one spelling the campaigns
 * of a run give it: two campaigns spelling a SKU apart would each pay only the rows
 * spelt as they spell it. Errors for the campaigns that run together: calc's (those
 * --campaign picks), validate's (every campaign it reads).
 */
export function skuSpellings(campaigns: readonly Campaign[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const spelling = new Map<string, { sku: string; campaign: Campaign }>();
  for (const c of campaigns) {
    for (const s of c.services) {
      for (const sku of s.skus ?? []) {
        const first = spelling.get(sku.toLowerCase());
        if (!first) spelling.set(sku.toLowerCase(), { sku, campaign: c });
        else if (first.sku !== sku && first.campaign !== c) {
          const e = s.rateCard && [...s.rateCard.values()].find((x) => x.sku === sku);
          out.push({
            code: 'SKU_SPELT_TWO_WAYS',
            severity: 'error',
            file: e?.file ?? c.file,
            line: e?.line ?? 1,
            column: 1,
            field: 'sku',
            message: `SKU ${sku} is spelt ${first.sku} by ${first.campaign.id} (${first.campaign.file}): SKU ids match in any letter case, so spell it one way`,
            expected: first.sku,
            found: sku,
          });
        }
      }
    }
  }
  return out;
}

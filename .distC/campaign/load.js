/**
 * loadCampaigns(paths): the only part of campaign handling that touches the disk.
 * Reads YAML files (a folder: every *.yaml / *.yml in it), their rate-card CSVs, and
 * runs the schema and semantic checks.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseCampaign, tooLarge, MAX_CAMPAIGN_BYTES } from './parse.js';
import { earningOf, resolveCampaign } from './resolve.js';
import { inlineRateCard, parseRateCard } from './rate-card.js';
import { runChecks } from './checks.js';
export function campaignFiles(path) {
    const st = statSync(path);
    if (!st.isDirectory())
        return [path];
    return readdirSync(path)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
        .map((f) => join(path, f));
}
function readText(file, maxBytes) {
    let st;
    try {
        st = statSync(file);
    }
    catch {
        return { diagnostic: { code: 'FILE_NOT_FOUND', severity: 'error', file, message: 'no such file' } };
    }
    if (st.size > maxBytes)
        return { diagnostic: tooLarge(file, st.size) };
    const buf = readFileSync(file);
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(buf);
    return { text };
}
export function loadCampaignFile(file) {
    const { text, diagnostic } = readText(file, MAX_CAMPAIGN_BYTES);
    if (diagnostic || text === undefined)
        return { diagnostics: [diagnostic] };
    const parsed = parseCampaign(text, file);
    const diagnostics = [...parsed.diagnostics];
    const raw = parsed.raw;
    if (!raw)
        return { diagnostics };
    const rateCards = new Map();
    for (const [name, service] of Object.entries(raw.services)) {
        const { key, method, raw: cfg } = earningOf(service);
        const ref = method.rateCardRef(cfg);
        if (ref === undefined)
            continue;
        if (typeof ref === 'string') {
            const cardFile = resolvePath(dirname(file), ref);
            let text;
            try {
                text = readFileSync(cardFile, 'utf8');
            }
            catch {
                const at = parsed.locate(['services', name, key, 'rates']);
                diagnostics.push({
                    code: 'RATE_CARD_NOT_FOUND',
                    severity: 'error',
                    file,
                    line: at?.line,
                    column: at?.column,
                    message: `the rate card ${ref} of ${name} does not exist`,
                    expected: `a CSV file at ${cardFile}`,
                    found: 'no file',
                });
                continue;
            }
            const { card, diagnostics: ds } = parseRateCard(text, join(dirname(file), ref));
            diagnostics.push(...ds);
            rateCards.set(name, card);
        }
        else {
            const at = parsed.locate(['services', name, key, 'rates']);
            rateCards.set(name, inlineRateCard(ref, file, at?.line ?? 1));
        }
    }
    diagnostics.push(...runChecks(parsed, raw, rateCards));
    if (diagnostics.some((d) => d.severity === 'error'))
        return { diagnostics };
    return { campaign: resolveCampaign(raw, file, rateCards), diagnostics };
}
export function loadCampaigns(paths) {
    const campaigns = [];
    const diagnostics = [];
    for (const p of paths) {
        let files;
        try {
            files = campaignFiles(p);
        }
        catch {
            diagnostics.push({ code: 'FILE_NOT_FOUND', severity: 'error', file: p, message: 'no such file or folder' });
            continue;
        }
        if (files.length === 0) {
            diagnostics.push({ code: 'NO_CAMPAIGNS', severity: 'error', file: p, message: 'no *.yaml or *.yml campaign files in this folder' });
        }
        for (const f of files) {
            const r = loadCampaignFile(f);
            diagnostics.push(...r.diagnostics);
            if (r.campaign)
                campaigns.push(r.campaign);
        }
    }
    diagnostics.push(...checkAcrossCampaigns(campaigns));
    return { campaigns, diagnostics };
}
/** Checks across the campaigns loaded together: repeated ids, double pay for one SKU. */
export function checkAcrossCampaigns(campaigns) {
    const out = [];
    const byId = new Map();
    for (const c of campaigns) {
        const first = byId.get(c.id);
        if (first) {
            out.push({
                code: 'DUPLICATE_CAMPAIGN_ID',
                severity: 'error',
                file: c.file,
                line: 1,
                column: 1,
                field: 'id',
                message: `campaign id ${c.id} is also used by ${first.file}`,
                expected: 'a unique id',
                found: c.id,
            });
        }
        else
            byId.set(c.id, c);
    }
    for (let i = 0; i < campaigns.length; i++) {
        for (let j = i + 1; j < campaigns.length; j++) {
            const a = campaigns[i];
            const b = campaigns[j];
            if (a.period.end < b.period.start || b.period.end < a.period.start)
                continue;
            const skusA = new Set(a.services.flatMap((s) => [...(s.skus ?? [])]));
            const shared = [...new Set(b.services.flatMap((s) => [...(s.skus ?? [])]))].filter((k) => skusA.has(k));
            if (shared.length > 0) {
                out.push({
                    code: 'DOUBLE_PAY',
                    severity: 'warning',
                    file: b.file,
                    line: 1,
                    column: 1,
                    message: `campaigns ${a.id} and ${b.id} both pay for ${shared.slice(0, 5).join(', ')}${shared.length > 5 ? ', ...' : ''} in overlapping periods`,
                });
            }
        }
    }
    return out;
}

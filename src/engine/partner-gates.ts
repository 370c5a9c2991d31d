/** Step 3: partner gates from `requires`: registration and role. */
import type { Campaign } from '../campaign/model.js';
import type { Reason } from './reasons.js';
import type { PartnerInfo, Registration } from './types.js';

export interface GateFailure {
  code: Reason;
  detail: string;
}

export interface PartnerDirectory {
  partners?: ReadonlyMap<string, PartnerInfo>;
  /** Registrations by registrationKey(campaignId, partnerId). */
  /** Every registration row by campaign and partner (registrationKey). */
  registrations?: ReadonlyMap<string, readonly Registration[]>;
}

export function registrationKey(campaignId: string, partnerId: string): string {
  // A campaign id in any letter case: registrations.csv's CSP-Power-Up-2017 is campaign csp-power-up-2017 (ids differing only in case are refused when campaigns load).
  return `${campaignId.toLowerCase()}\u0000${partnerId}`;
}

/**
 * A partner registered more than once: the earliest registration whose status the
 * campaign accepts counts (then the first in the file on the same day), whatever the
 * rows' order; undefined when no status is accepted.
 */
export function registrationThatCounts(regs: readonly Registration[], accepted: ReadonlySet<string>): Registration | undefined {
  let best: Registration | undefined;
  for (const r of regs) {
    if (!accepted.has(r.status)) continue;
    if (!best || r.registeredOn < best.registeredOn || (r.registeredOn === best.registeredOn && r.line < best.line)) best = r;
  }
  return best;
}

export function partnerGate(c: Campaign, partnerId: string, dir: PartnerDirectory): GateFailure | null {
  if (c.registration) {
    const regs = dir.registrations?.get(registrationKey(c.id, partnerId));
    if (!regs || regs.length === 0) return { code: 'PARTNER_NOT_REGISTERED', detail: `no registration for ${c.id} in registrations.csv` };
    const reg = registrationThatCounts(regs, c.registration.statuses);
    if (!reg) {
      const found = [...new Set(regs.map((r) => r.status))].sort();
      return {
        code: 'REGISTRATION_NOT_APPROVED',
        detail: `registration status${found.length > 1 ? 'es are' : ' is'} ${found.join(' and ')}; needs ${[...c.registration.statuses].join(' or ')}`,
      };
    }
    if (c.registration.deadline && reg.registeredOn > c.registration.deadline) {
      return { code: 'REGISTERED_AFTER_DEADLINE', detail: `registered on ${reg.registeredOn}; deadline ${c.registration.deadline}` };
    }
  }
  if (c.partnerRoles) {
    const p = dir.partners?.get(partnerId);
    if (!p) return { code: 'PARTNER_ROLE', detail: 'partner not in partners.csv, so its role is unknown' };
    if (!c.partnerRoles.has(p.role)) return { code: 'PARTNER_ROLE', detail: `role ${p.role}; needs ${[...c.partnerRoles].join(' or ')}` };
  }
  const markets = c.exclude?.partnerCountries;
  if (markets && markets.size > 0) {
    const p = dir.partners?.get(partnerId);
    if (!p) return { code: 'PARTNER_MARKET', detail: 'partner not in partners.csv, so its country is unknown' };
    if (markets.has(p.country))
      return { code: 'PARTNER_MARKET', detail: `partner based in ${p.country}, where the services are not sold (exclude.partner_countries)` };
  }
  return null;
}

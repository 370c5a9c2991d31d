export function registrationKey(campaignId, partnerId) {
    return `${campaignId}\u0000${partnerId}`;
}
export function partnerGate(c, partnerId, dir) {
    if (c.registration) {
        const reg = dir.registrations?.get(registrationKey(c.id, partnerId));
        if (!reg)
            return { code: 'PARTNER_NOT_REGISTERED', detail: `no registration for ${c.id} in registrations.csv` };
        if (!c.registration.statuses.has(reg.status)) {
            return { code: 'REGISTRATION_NOT_APPROVED', detail: `registration status is ${reg.status}; needs ${[...c.registration.statuses].join(' or ')}` };
        }
        if (c.registration.deadline && reg.registeredOn > c.registration.deadline) {
            return { code: 'REGISTERED_AFTER_DEADLINE', detail: `registered on ${reg.registeredOn}; deadline ${c.registration.deadline}` };
        }
    }
    if (c.partnerRoles) {
        const p = dir.partners?.get(partnerId);
        if (!p)
            return { code: 'PARTNER_ROLE', detail: 'partner not in partners.csv, so its role is unknown' };
        if (!c.partnerRoles.has(p.role))
            return { code: 'PARTNER_ROLE', detail: `role ${p.role}; needs ${[...c.partnerRoles].join(' or ')}` };
    }
    return null;
}

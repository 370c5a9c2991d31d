/** True when a service pays on usage.csv activity (per_active_user). */
export function isUsageService(s) {
    return s.method.measure === 'usage';
}
/** Which input files a campaign cannot be computed without (beyond transactions.csv). */
export function requiredInputs(c) {
    const need = ['transactions'];
    if (c.partnerRoles)
        need.push('partners');
    if (c.registration)
        need.push('registrations');
    if (c.services.some(isUsageService))
        need.push('usage');
    if (c.claims)
        need.push('claims');
    if (c.eligibility)
        need.push('eligibility');
    return need;
}

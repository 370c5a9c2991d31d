export class Directory {
    subscriptions = new Map();
    customers = new Map();
    add(r) {
        let c = this.customers.get(r.customerId);
        if (!c) {
            c = { country: r.country, flags: null, partners: new Set(), resellers: new Set(), subscriptionBySku: new Map() };
            this.customers.set(r.customerId, c);
        }
        if (!c.country && r.country)
            c.country = r.country;
        if (r.flags)
            for (const f of r.flags)
                (c.flags ??= new Set()).add(f);
        c.partners.add(r.partnerId);
        if (r.resellerId)
            c.resellers.add(r.resellerId);
        if (r.subscriptionId) {
            if (!c.subscriptionBySku.has(r.sku))
                c.subscriptionBySku.set(r.sku, r.subscriptionId);
            if (!this.subscriptions.has(r.subscriptionId)) {
                this.subscriptions.set(r.subscriptionId, {
                    partnerId: r.partnerId,
                    resellerId: r.resellerId,
                    customerId: r.customerId,
                    sku: r.sku,
                    type: r.subscriptionType,
                    program: r.licenseProgram,
                });
            }
        }
    }
}

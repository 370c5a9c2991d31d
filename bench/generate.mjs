// Seeded generator of canonical inputs shaped like a distributor's year.
// Same seed, same bytes, every time. Usage: node bench/generate.mjs ROWS DIR
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const PARTNERS = 5000;
const CUSTOMERS = 200_000;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATE_CARD_SKUS = {
  O365: ['CFQ7TTC0LF8S:0001', 'CFQ7TTC0LF8Q:0001', 'CFQ7TTC0LF8R:0001', 'CFQ7TTC0LCHC:0002', 'CFQ7TTC0LH1G:0001'],
  D365: ['CFQ7TTC0LHSL:0001', 'CFQ7TTC0LH18:0001', 'CFQ7TTC0LHXN:0001'],
  EMS: ['CFQ7TTC0LFK3:0001', 'CFQ7TTC0LFK5:0001'],
  Azure: ['DZH318Z0BPS6:0001'],
};
const SERVICES = ['O365', 'O365', 'O365', 'D365', 'EMS', 'Azure'];

function skuPool() {
  const pool = {};
  for (const [svc, skus] of Object.entries(RATE_CARD_SKUS)) {
    pool[svc] = [...skus];
    const n = svc === 'Azure' ? 9 : svc === 'O365' ? 95 : 43;
    for (let i = 0; i < n; i++) pool[svc].push(`GEN${svc}${String(i).padStart(4, '0')}:0001`);
  }
  return pool; // 100 + 46 + 44 + 10 = 200 SKUs
}

class Out {
  constructor(file) {
    this.fd = openSync(file, 'w');
    this.buf = [];
    this.size = 0;
  }
  line(s) {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
  }
  close() {
    if (this.buf.length) this.flush();
    closeSync(this.fd);
  }
}

function pad2(n) {
  return n < 10 ? `0${n}` : String(n);
}
const DAYS = [];
for (let t = Date.UTC(2016, 6, 1); t <= Date.UTC(2017, 11, 31); t += 86400000) DAYS.push(new Date(t).toISOString().slice(0, 10));

export function generate(rows, dir, seed = 20170201) {
  mkdirSync(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const pool = skuPool();

  const partners = new Out(join(dir, 'partners.csv'));
  partners.line('partner_id,name,country,role,payout_currency');
  const regs = new Out(join(dir, 'registrations.csv'));
  regs.line('partner_id,campaign_id,registered_on,status');
  for (let p = 0; p < PARTNERS; p++) {
    const id = 1000001 + p;
    const role = p % 10 === 0 ? 'indirect_provider' : p % 10 === 1 ? 'indirect_reseller' : 'direct';
    const cur = p % 7 === 0 ? 'GBP' : p % 11 === 0 ? 'EUR' : '';
    partners.line(`${id},Partner ${id},${cur === 'GBP' ? 'GB' : cur === 'EUR' ? 'DE' : 'US'},${role},${cur}`);
    if (rnd() < 0.7) regs.line(`${id},csp-power-up-2017,${pick(DAYS.slice(200, 360))},approved`);
  }
  partners.close();
  regs.close();

  const fx = new Out(join(dir, 'fx.csv'));
  fx.line('date,from,to,rate');
  for (let m = 0; m < 24; m++) {
    const date = `${2016 + Math.floor((m + 6) / 12)}-${pad2(((m + 6) % 12) + 1)}-01`;
    fx.line(`${date},EUR,USD,1.${String(500 + Math.floor(rnd() * 1000)).padStart(4, '0')}`.replace('1.1', '1.0'));
    fx.line(`${date},GBP,USD,1.${String(2000 + Math.floor(rnd() * 1500)).padStart(4, '0')}`);
  }
  fx.close();

  const tx = new Out(join(dir, 'transactions.csv'));
  tx.line(
    'transaction_id,date,partner_id,reseller_id,customer_id,customer_country,sku,service,license_program,subscription_id,subscription_type,quantity,amount,currency',
  );
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rnd() * CUSTOMERS);
    const p = 1000001 + (c % PARTNERS);
    const reseller = p % 10 === 0 ? String(2000001 + (c % 997)) : '';
    const svc = pick(SERVICES);
    const sku = rnd() < 0.6 ? pick(RATE_CARD_SKUS[svc]) : pick(pool[svc]);
    const r = rnd();
    const program = r < 0.85 ? 'CSP' : r < 0.9 ? 'Open' : r < 0.95 ? 'EA' : 'Advisor';
    const subType = rnd() < 0.03 ? 'trial' : 'paid';
    const date = pick(DAYS);
    const country = c % 13 === 0 ? 'GB' : c % 17 === 0 ? 'DE' : 'US';
    let qty = '';
    let amount = '';
    let currency = '';
    if (svc === 'Azure') {
      const cents = Math.floor(rnd() * 200000) - (rnd() < 0.05 ? 150000 : 0);
      amount = `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${pad2(Math.abs(cents) % 100)}`;
      currency = country === 'GB' ? 'GBP' : country === 'DE' ? 'EUR' : 'USD';
    } else {
      qty = String(rnd() < 0.08 ? -1 - Math.floor(rnd() * 5) : 1 + Math.floor(rnd() * 25));
    }
    tx.line(`T${i + 1},${date},${p},${reseller},C${c},${country},${sku},${svc},${program},S${c}-${svc},${subType},${qty},${amount},${currency}`);
  }
  tx.close();
}

const USAGE_CUSTOMERS = 20_000;
const USAGE_IN_WINDOW = 300_000;
const WORKLOADS = ['ExO', 'SpO', 'SfB', 'ProPlus'];
// The Online Services Usage campaign's window: 2018-06-03 .. 2018-06-30; older days cost only their parse.
const USAGE_DAYS_IN = [];
const USAGE_DAYS_OUT = [];
for (let t = Date.UTC(2017, 6, 1); t <= Date.UTC(2018, 5, 30); t += 86400000) {
  const d = new Date(t).toISOString().slice(0, 10);
  (d >= '2018-06-03' ? USAGE_DAYS_IN : USAGE_DAYS_OUT).push(d);
}

/**
 * usage.csv events for rules/online-services-usage.yaml: `rows` events of which a fixed
 * 300,000 fall in the 28-day window, whatever `rows` is; the rest are older. So memory
 * should stay flat as rows grow: it follows the distinct (customer, workload, user) in
 * the window. Also a small transactions.csv (one 300-seat subscription per customer)
 * and claims.csv (one CPOR claim per customer).
 */
export function generateUsage(rows, dir, seed = 20180630) {
  mkdirSync(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const tx = new Out(join(dir, 'transactions.csv'));
  tx.line('transaction_id,date,partner_id,customer_id,sku,license_program,subscription_id,quantity');
  const claims = new Out(join(dir, 'claims.csv'));
  claims.line('partner_id,customer_id,subscription_id,workload,type,from,to');
  for (let c = 0; c < USAGE_CUSTOMERS; c++) {
    tx.line(`T${c},2018-01-05,${1000001 + (c % 500)},K${c},CFQ7TTC0LF8R:0001,CSP,S${c},300`);
    claims.line(`${4000001 + (c % 200)},K${c},,,CPOR,2018-01-01,`);
  }
  tx.close();
  claims.close();
  const usage = new Out(join(dir, 'usage.csv'));
  usage.line('date,customer_id,user_id,workload,sku');
  const pIn = Math.min(1, USAGE_IN_WINDOW / rows);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rnd() * USAGE_CUSTOMERS);
    const user = Math.floor(rnd() * 40);
    const date = rnd() < pIn ? pick(USAGE_DAYS_IN) : pick(USAGE_DAYS_OUT);
    usage.line(`${date},K${c},u${user}@k${c}.example,${pick(WORKLOADS)},CFQ7TTC0LF8R:0001`);
  }
  usage.close();
}

const DAILY_HEADER =
  'PartnerId,PartnerName,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,MpnId,Tier2MpnId,InvoiceNumber,ProductId,SkuId,AvailabilityId,SkuName,ProductName,PublisherName,PublisherId,SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,UsageDate,MeterType,MeterCategory,MeterId,MeterSubCategory,MeterName,MeterRegion,Unit,ResourceLocation,ConsumedService,ResourceGroup,ResourceURI,ChargeType,UnitPrice,Quantity,UnitType,BillingPreTaxTotal,BillingCurrency,PricingPreTaxTotal,PricingCurrency,ServiceInfo1,ServiceInfo2,Tags,AdditionalInfo,EffectiveUnitPrice,PCToBCExchangeRate,PCToBCExchangeRateDate,EntitlementId,EntitlementDescription,PartnerEarnedCreditPercentage,CreditPercentage,CreditType,BenefitOrderId,BenefitId,BenefitType';

/**
 * A Partner Center new-commerce daily-rated usage file (Azure plan) of about `mb`
 * megabytes, ~700 bytes a line as real ones are, plus partners.csv and registrations.csv.
 */
export function generateDailyUsage(mb, dir, seed = 20170301) {
  mkdirSync(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const partners = new Out(join(dir, 'partners.csv'));
  partners.line('partner_id,name,country,role,payout_currency');
  const regs = new Out(join(dir, 'registrations.csv'));
  regs.line('partner_id,campaign_id,registered_on,status');
  for (let p = 0; p < 500; p++) {
    partners.line(`${1000001 + p},Partner ${p},US,direct,`);
    regs.line(`${1000001 + p},csp-power-up-2017,2017-03-01,approved`);
  }
  partners.close();
  regs.close();
  const out = new Out(join(dir, 'pc-azure-daily.csv'));
  out.line(DAILY_HEADER);
  let bytes = DAILY_HEADER.length;
  const meters = ['Virtual Machines', 'Storage', 'Bandwidth', 'SQL Database', 'App Service'];
  for (let i = 0; bytes < mb * 1e6; i++) {
    const c = Math.floor(rnd() * 5_000);
    const p = 1000001 + (c % 500);
    const day = 1 + Math.floor(rnd() * 28);
    const month = 2 + Math.floor(rnd() * 5);
    const cents = Math.floor(rnd() * 500_000);
    const total = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}${String(Math.floor(rnd() * 1e4)).padStart(4, '0')}`;
    const cust = `c0ffee00-0000-4000-8000-${String(c).padStart(12, '0')}`;
    const line = [
      '3b6e9b2c-0000-4000-8000-00000000a001',
      `Partner ${p}`,
      cust,
      `Customer ${c}`,
      `customer${c}.onmicrosoft.com`,
      'US',
      p,
      c % 7 === 0 ? String(2000001 + (c % 50)) : '-1',
      `G00${i % 9999}`,
      'DZH318Z0BPS6',
      '0001',
      'DZH318Z0BPS6:0001',
      'Microsoft Azure plan',
      'Azure plan',
      'Microsoft',
      '',
      'Azure plan',
      `az-${c}`,
      `${month}/1/2017`,
      `${month}/28/2017`,
      `${month}/${day}/2017`,
      '1 Compute Hour',
      meters[i % meters.length],
      `3e3c8a47-a6b1-4c2a-b3a4-${String(i % 1e6).padStart(12, '0')}`,
      'Dv3/DSv3 Series',
      'D2 v3/D2s v3',
      'US East',
      '1 Hour',
      'eastus',
      'Microsoft.Compute',
      `rg-${c % 100}`,
      `/subscriptions/az-${c}/resourceGroups/rg-${c % 100}/providers/Microsoft.Compute/virtualMachines/vm${i % 1000}`,
      'new',
      '0.096',
      '24',
      '1 Hour',
      total,
      'USD',
      total,
      'USD',
      '',
      '',
      '',
      '',
      '0.096',
      '1',
      `${month}/1/2017`,
      `az-${c}`,
      'Azure plan',
      '0',
      '0',
      '',
      '',
      '',
      '',
    ].join(',');
    out.line(line);
    bytes += line.length + 1;
  }
  out.close();
}

/**
 * The heavy case for calc --explain: one partner whose cap is hit, every row a customer
 * of its own (so every row reaches an accumulator and is written after the run, trimmed
 * by the cap), 28 days of one month. Writes transactions.csv and capped.yaml to `dir`.
 */
/**
 * The accumulate-heavy campaign for the rows `generate` writes: every Office 365 SKU
 * (100 of the 200, about half the rows) is rated, no registration or role gate, the
 * calendar year 2017 as the period, so most in-period rows reach a customer's
 * accumulator and the earlier rows feed net-new history.
 */
export function writeHeavyCampaign(dir) {
  const pool = skuPool();
  const card = ['sku,rate', ...pool.O365.map((sku, i) => `${sku},${10 + (i % 7)}`)];
  writeFileSync(join(dir, 'heavy-rates.csv'), card.join('\n') + '\n');
  writeFileSync(
    join(dir, 'heavy.yaml'),
    'id: heavy\ncurrency: USD\nperiod: { start: 2017-01-01, end: 2017-12-31 }\nas_of: 2017-12-31\nfx:\n  fixed: { GBP: 1.24, EUR: 1.09 }\n' +
      'services:\n  O365:\n    per_unit: { rates: heavy-rates.csv }\n    qualify: { customers: { at_least: 1 } }\n',
  );
  return join(dir, 'heavy.yaml');
}

export function generateCapped(rows, dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'capped.yaml'),
    'id: capped\ncurrency: USD\nperiod: { start: 2017-01-01, end: 2017-12-31 }\nas_of: 2017-12-31\nservices:\n  O365:\n    per_unit: { rates: { E3: 10 } }\n    cap: 100000\n',
  );
  const out = new Out(join(dir, 'transactions.csv'));
  out.line('transaction_id,date,partner_id,customer_id,sku,license_program,quantity');
  for (let i = 0; i < rows; i++) out.line(`T${i},2017-03-${String(1 + (i % 28)).padStart(2, '0')},P1,C${i},E3,CSP,5`);
  out.close();
}

if (process.argv[1] && process.argv[1].endsWith('generate.mjs')) {
  const rows = Number(process.argv[2] ?? 100000);
  const dir = process.argv[3] ?? join('bench', 'data', String(rows));
  if (!existsSync(join(dir, 'transactions.csv')) || process.argv.includes('--force')) generate(rows, dir);
  console.log(dir);
}

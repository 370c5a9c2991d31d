/**
 * The hostile-input table: each case changes a copy of the demo (fixtures/demo and
 * rules/) the way a careless or adversarial user would, runs the built binary, and
 * states the outcome: exit code, what stderr/stdout must say, and which files must
 * not exist afterwards (no partial output, no temporary file).
 *
 * Amounts are the demo's, worked out by hand in the README's walk-through:
 * Contoso (1000001) in Power Up = $1,162 O365 + $25,000 D365 (capped) + $716.40 Azure
 * = $26,878.40; Tailspin (1000004) as indirect provider = 40 x 4 + 25 x 6 = $310.00.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface World {
  /** Folder holding data/ (a copy of fixtures/demo) and rules/ (a copy of rules/). */
  dir: string;
  data: string;
  rules: string;
  tx: string;
}

export interface HostileCase {
  name: string;
  /** Changes the copy; returns the command line (paths inside `w`). */
  setup(w: World): string[];
  exit: number;
  stderr?: (string | RegExp)[];
  /** Things stderr must never show (e.g. another file's content). */
  stderrNot?: (string | RegExp)[];
  stdout?: (string | RegExp)[];
  stdoutNot?: (string | RegExp)[];
  /** Paths (relative to w.dir) that must not exist after the run. */
  absent?: string[];
  env?: NodeJS.ProcessEnv;
  /** Run in the copy's folder (so a file written by a relative name lands there). */
  inCopy?: boolean;
  /** What the command reads on standard input. */
  stdin?(w: World): string;
  /** Further checks after the run. */
  after?(w: World, out: { stdout: string; stderr: string }): void;
}

const POWER_UP = (w: World) => ['calc', '--rules', join(w.rules, 'csp-power-up-2017.yaml'), '--data', w.data];
const lines = (w: World) => readFileSync(w.tx, 'utf8').replace(/\r\n/g, '\n').trimEnd().split('\n');
const rewrite = (w: World, f: (ls: string[]) => string[], end = '\n') => writeFileSync(w.tx, f(lines(w)).join(end) + end);
/** The JSON output's partner `partner` and its payout, exactly (`pays('1000001', '26878.40')`). */
const pays = (partner: string, payout: string) => new RegExp(`"partnerId": "${partner}",[\\s\\S]*?"payout": "${payout.replace('.', '\\.')}"`);
/** Changes a file of the copy in place. */
const replaceIn = (file: string, from: string | RegExp, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
const campaign = (w: World, name: string, text: string) => {
  writeFileSync(join(w.rules, name), text);
  return join(w.rules, name);
};
const MINI = (rates: string) => `id: mini
currency: USD
period: { start: 2017-01-01, end: 2017-12-31 }
as_of: 2017-12-31
services:
  O365:
    per_unit:
      rates: ${rates}
`;

export const CASES: HostileCase[] = [
  // ---- 2. input is read exactly, or refused
  {
    name: 'a CRLF header with LF and CR rows: every row read, same figures',
    setup(w) {
      const ls = lines(w);
      const ends = ['\r\n', '\n', '\r'];
      writeFileSync(w.tx, ls.map((l, i) => l + (i === 0 ? '\r\n' : ends[i % 3])).join(''));
      return [...POWER_UP(w), '--format', 'json'];
    },
    exit: 0,
    // 69 rows read (all of them), Contoso $26,878.40 as with LF only
    stdout: ['"read": 69', pays('1000001', '26878.40')],
  },
  {
    name: 'a row with a field missing is an error with the counts, not a shifted quantity',
    setup(w) {
      rewrite(w, (ls) => ls.map((l, i) => (i === 9 ? l.replace(/,[^,]*$/, '') : l)));
      return [...POWER_UP(w), '--out', join(w.dir, 'out.json')];
    },
    exit: 1,
    stderr: [/transactions\.csv:10: error CSV_FIELD_COUNT: expected 15 fields, found 14/],
    absent: ['out.json'],
  },
  {
    name: 'invalid UTF-8 names file, line, column and byte offset, and suggests the encoding',
    setup(w) {
      const buf = readFileSync(w.tx);
      const at = buf.indexOf('C102');
      writeFileSync(w.tx, Buffer.concat([buf.subarray(0, at + 4), Buffer.from([0xe9]), buf.subarray(at + 4)]));
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [/transactions\.csv:3: customer_id: error CSV_ENCODING: not valid UTF-8 at byte \d+/, '--encoding windows-1252'],
  },
  {
    name: 'a windows-1252 file is read with --encoding windows-1252',
    setup(w) {
      const text = readFileSync(w.tx, 'utf8').replace('Contoso', 'Contosó');
      writeFileSync(w.tx, Buffer.from(text, 'latin1'));
      return [...POWER_UP(w), '--encoding', 'windows-1252', '--format', 'json'];
    },
    exit: 0,
    stdout: [pays('1000001', '26878.40')],
  },
  {
    name: 'a NUL byte in a cell is an error naming its line and column',
    setup(w) {
      rewrite(w, (ls) => ls.map((l, i) => (i === 6 ? l.replace('1000001', '1000001\u0000') : l)));
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [/transactions\.csv:7: partner_id: error CSV_NUL/],
  },
  {
    name: 'two columns of one name are an error naming both',
    setup(w) {
      rewrite(w, (ls) => ls.map((l, i) => (i === 0 ? `${l},quantity` : `${l},`)));
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [/transactions\.csv:1: quantity: error DUPLICATE_COLUMN: the header names quantity twice: column 12 \("quantity"\) and column 16/],
  },
  {
    name: 'a seat-based row without quantity is an error, not 0 seats',
    setup(w) {
      // T1001 is O365 (per seat): its quantity 10 removed
      rewrite(w, (ls) => ls.map((l) => (l.startsWith('T1001,') ? l.replace(',paid,10,', ',paid,,') : l)));
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [/transactions\.csv:2: quantity: error INVALID_ROW: quantity is required: service O365 counts seats/],
  },
  {
    name: "PowerShell's #TYPE line and a header repeated mid-file are skipped: same figures",
    setup(w) {
      const ls = lines(w);
      writeFileSync(w.tx, ['#TYPE System.Management.Automation.PSCustomObject', ...ls.slice(0, 30), ls[0], ...ls.slice(30)].join('\n') + '\n');
      return [...POWER_UP(w), '--format', 'json'];
    },
    exit: 0,
    stdout: ['"read": 69', pays('1000001', '26878.40')],
  },
  {
    name: 'an unknown --encoding is a wrong command line',
    setup: (w) => [...POWER_UP(w), '--encoding', 'klingon'],
    exit: 2,
    stderr: ['unknown encoding "klingon"'],
  },

  // ---- 3. a campaign is loaded whole or refused
  {
    name: 'an unresolved YAML tag refuses the campaign in calc (the run does not go on without it)',
    setup(w) {
      replaceIn(join(w.rules, 'csp-power-up-2017.yaml'), 'currency: USD', 'currency: !money USD');
      return ['calc', '--rules', w.rules, '--data', w.data];
    },
    exit: 1,
    stderr: [/csp-power-up-2017\.yaml:\d+:\d+: error YAML_UNKNOWN_TAG/],
  },
  {
    name: 'a !!js/function tag fails validate',
    setup: (w) => ['validate', campaign(w, 'evil.yaml', MINI('{ E3: !!js/function "function () { return 1 }" }'))],
    exit: 1,
    stdout: [/evil\.yaml:8:\d+/],
  },
  {
    name: 'a rate card outside the rules tree (/proc/self/environ) is refused and never echoed',
    setup: (w) => ['validate', campaign(w, 'leak.yaml', MINI('/proc/self/environ')), '--format', 'github'],
    exit: 1,
    stdout: ['RATE_CARD_PATH', 'is absolute'],
    stdoutNot: ['PATH=', 'HOME='],
    env: { SECRET_TOKEN: 'hunter2' },
    after(_w, out) {
      if (out.stdout.includes('hunter2') || out.stderr.includes('hunter2')) throw new Error('the environment leaked');
    },
  },
  {
    name: 'a rate card /dev/zero is refused at once',
    setup: (w) => ['validate', campaign(w, 'zero.yaml', MINI('/dev/zero'))],
    exit: 1,
    stdout: ['RATE_CARD_PATH'],
  },
  {
    name: 'a rate card that leads out of the rules folder with .. is refused',
    setup(w) {
      writeFileSync(join(w.dir, 'outside.csv'), 'sku,rate\nE3,10\n');
      return ['validate', campaign(w, 'up.yaml', MINI('../outside.csv'))];
    },
    exit: 1,
    stdout: ['leads out of the rules folder'],
  },
  {
    name: 'an inline rate card SKU that starts like a formula is refused',
    setup: (w) => ['validate', campaign(w, 'formula.yaml', MINI('{ "=HYPERLINK(1)": 10 }'))],
    exit: 1,
    stdout: ['RATE_CARD_FORMULA', '=HYPERLINK(1)'],
  },

  // ---- 4. dates and numbers at the edges
  {
    name: 'an eligibility span ending 9999-12-31 is met: Tailspin still earns $310.00',
    setup(w) {
      replaceIn(join(w.data, 'eligibility.csv'), /^(1000004,[a-z_]+,2017-07-01,)$/gm, '$19999-12-31');
      return ['calc', '--rules', join(w.rules, 'csp-indirect-provider.yaml'), '--data', w.data, '--format', 'json'];
    },
    exit: 0,
    // 40 x 4 + 25 x 6 = 310.00
    stdout: [/"partnerId": "1000004",\s*"name": "Tailspin Distribution",\s*"status": "payable"[\s\S]*?"payout": "310.00"/],
  },
  {
    name: 'seats summing past 2^53 are refused, not rounded',
    setup(w) {
      appendFileSync(w.tx, 'TBIG1,2017-03-01,1000001,,C101,US,CFQ7TTC0LF8Q:0001,O365,CSP,S1001,paid,9007199254740991,,,\n');
      return POWER_UP(w);
    },
    exit: 1,
    stderr: ['UNITS_OVERFLOW', '9007199254740991'],
  },

  {
    name: 'a partner registered twice: the earliest registration of an accepted status counts, whatever the row order',
    setup(w) {
      // Pending on 2017-05-01 (before the 2017-06-01 deadline), approved on 2017-07-01 (after it); the campaign accepts both.
      writeFileSync(
        join(w.data, 'registrations.csv'),
        'partner_id,campaign_id,registered_on,status\nP1,twice,2017-07-01,approved\nP1,twice,2017-05-01,pending\n',
      );
      writeFileSync(w.tx, 'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\nT1,2017-03-01,P1,C1,E3,CSP,4\n');
      const rules = campaign(
        w,
        'twice.yaml',
        MINI('{ E3: 10 }').replace('id: mini', 'id: twice') + 'requires:\n  registration: { statuses: [approved, pending], deadline: 2017-06-01 }\n',
      );
      return ['calc', '--rules', rules, '--data', w.data, '--format', 'json'];
    },
    exit: 0,
    // The pending registration counts: 4 seats x 10 = 40.00 (not ineligible as registered after the deadline)
    stdout: [/"partnerId": "P1",[\s\S]*?"status": "payable"[\s\S]*?"payout": "40.00"/],
  },

  {
    name: 'registrations all naming a misspelt campaign id: a warning naming the id it is close to (every partner would be unregistered)',
    setup(w) {
      replaceIn(join(w.data, 'registrations.csv'), /,csp-power-up-2017,/g, ',csp-powerup-2017,');
      return POWER_UP(w);
    },
    // A warning, not an error: early in a campaign nobody may have registered yet.
    exit: 0,
    stderr: ['registrations.csv:2: warning REGISTRATION_CAMPAIGN_UNMATCHED', 'no row names campaign csp-power-up-2017', 'csp-powerup-2017'],
  },
  {
    name: 'a misspelt requirement in eligibility.csv is an error suggesting the name, not a requirement never met',
    setup(w) {
      appendFileSync(join(w.data, 'eligibility.csv'), '2000003,partner_membrship,2017-07-01,\n2000003,ca_enrolment,2017-07-01,\n');
      return ['calc', '--rules', join(w.rules, 'csp-indirect-provider.yaml'), '--data', w.data];
    },
    exit: 1,
    // partner_membrship is one letter from partner_membership; ca_enrolment is no near miss (another campaign's name may be anything)
    stderr: ['eligibility.csv:11: requirement', 'did you mean partner_membership?', '"partner_membrship"'],
    stderrNot: ['ca_enrolment'],
  },

  // ---- 5. outputs never clobber
  {
    name: '--explain naming an existing folder is refused; the folder is untouched',
    setup(w) {
      mkdirSync(join(w.dir, 'traces'));
      writeFileSync(join(w.dir, 'traces', 'keep.txt'), 'keep');
      return [...POWER_UP(w), '--explain', join(w.dir, 'traces')];
    },
    exit: 1,
    stderr: ['--explain', 'is a folder'],
    after(w) {
      if (readFileSync(join(w.dir, 'traces', 'keep.txt'), 'utf8') !== 'keep') throw new Error('the folder was touched');
    },
  },
  {
    name: '--out naming an input file is refused; the input is unchanged',
    setup: (w) => [...POWER_UP(w), '--out', w.tx],
    exit: 1,
    stderr: ["is one of the run's input files"],
    after(w) {
      if (!readFileSync(w.tx, 'utf8').startsWith('transaction_id,')) throw new Error('the input was replaced');
    },
  },
  {
    name: '--out and --explain naming one file are refused',
    setup: (w) => [...POWER_UP(w), '--out', join(w.dir, 'x.csv'), '--explain', join(w.dir, 'x.csv')],
    exit: 1,
    stderr: ['is also --out'],
    absent: ['x.csv'],
  },
  {
    name: '--out in a folder that does not exist is refused before the run',
    setup: (w) => [...POWER_UP(w), '--out', join(w.dir, 'no', 'such', 'out.json')],
    exit: 1,
    stderr: ['does not exist'],
  },
  {
    name: '--out - is standard output, not a file named -',
    setup: (w) => [...POWER_UP(w), '--format', 'json', '--out', '-'],
    exit: 0,
    stdout: [pays('1000001', '26878.40')],
    absent: ['-'],
    inCopy: true,
  },
  {
    name: '--transactions - reads standard input (copied once, removed after)',
    setup: (w) => ['calc', '--rules', join(w.rules, 'csp-power-up-2017.yaml'), '--data', w.data, '--transactions', '-', '--format', 'json'],
    stdin: (w) => readFileSync(w.tx, 'utf8'),
    exit: 0,
    stdout: ['"read": 69', pays('1000001', '26878.40')],
  },
  {
    name: 'two inputs from standard input are refused',
    setup: (w) => ['calc', '--rules', w.rules, '--data', w.data, '--transactions', '-', '--partners', '-'],
    stdin: () => '',
    exit: 1,
    stderr: ['only one input can be read from standard input'],
  },
  {
    name: 'an ANSI escape in a partner name reaches the terminal as visible text',
    setup(w) {
      replaceIn(join(w.data, 'partners.csv'), 'Contoso Cloud', 'Contoso \u001b[31mCloud\u001b[0m');
      return POWER_UP(w);
    },
    exit: 0,
    stdout: ['Contoso \\x1b[31mCloud'],
    stdoutNot: ['\u001b'],
  },

  // ---- 6. exit codes
  {
    name: 'a date that does not exist in --as-of is a wrong command line',
    setup: (w) => [...POWER_UP(w), '--as-of', '2017-02-30'],
    exit: 2,
    stderr: ['not a calendar date'],
  },
  {
    name: 'a bad --period is a wrong command line',
    setup: (w) => ['payout', 'run', '--period', '2017-13', '--rules', w.rules, '--data', w.data, '--ledger', join(w.dir, 'l.db')],
    exit: 2,
    stderr: ['not a month'],
    absent: ['l.db'],
  },
  {
    name: 'a bad --busy-timeout is a wrong command line',
    setup: (w) => ['payout', 'run', '--period', '2017-09', '--busy-timeout', 'soon', '--rules', w.rules, '--data', w.data, '--ledger', join(w.dir, 'l.db')],
    exit: 2,
    stderr: ['not a number of milliseconds'],
  },
  {
    name: 'an internal error exits 70 without a stack',
    setup: (w) => POWER_UP(w),
    env: { INCENT_TEST_CRASH: '1' },
    exit: 70,
    stderr: ['incent: internal error: a crash on purpose', '--debug'],
    stderrNot: [/\n\s+at /],
  },
  {
    name: 'an internal error with --debug prints the stack',
    setup: (w) => [...POWER_UP(w), '--debug'],
    env: { INCENT_TEST_CRASH: '1' },
    exit: 70,
    stderr: [/\n\s+at /],
  },

  {
    name: 'one Partner Center export under two names (a second download) is refused, not paid twice',
    setup: (w) => {
      const invoice = readFileSync('fixtures/partner-center/pc-nce-invoice-usd.csv');
      writeFileSync(join(w.dir, 'invoice.csv'), invoice);
      writeFileSync(join(w.dir, 'invoice (1).csv'), invoice);
      return [...POWER_UP(w).slice(0, 3), '--data', 'fixtures/partner-center', '--transactions', join(w.dir, '*.csv'), '--format', 'json'];
    },
    // before: exit 0 and 1,798.00 (both copies' rows paid)
    exit: 1,
    stderr: ['error INPUT_REPEATED: has the same content as'],
    stdoutNot: ['1798.00'],
  },

  {
    name: 'canonical column names match whatever their case: a header writing Amount and Subscription_Type reads them',
    setup(w) {
      rewrite(w, ([header, ...rows]) => [header!.replace(',amount,', ',Amount,').replace('subscription_type', 'Subscription_Type'), ...rows]);
      return [...POWER_UP(w), '--format', 'json'];
    },
    exit: 0,
    // Contoso: $1,162 O365 + $25,000 D365 + $716.40 Azure = $26,878.40, as with the demo's own header. Before:
    // Amount was an unread column (Azure revenue none: $26,162.00) and Subscription_Type too (a trial paid: $28,078.40).
    stdout: [pays('1000001', '26878.40')],
  },
  {
    name: 'a column nearly named as incent reads it ("subscription type", "ammount") is an error naming the column meant',
    setup(w) {
      rewrite(w, ([header, ...rows]) => [header!.replace('subscription_type', 'subscription type').replace(',amount,', ',ammount,'), ...rows]);
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [
      'transactions.csv:1: subscription_type: error MISSING_COLUMN: the header has "subscription type", not subscription_type',
      'transactions.csv:1: amount: error MISSING_COLUMN: the header has "ammount", not amount',
    ],
  },
  {
    name: 'a rate card headed SKU,Rate,Service,Description reads as sku,rate (it was refused)',
    setup(w) {
      replaceIn(join(w.rules, 'rate-cards', 'power-up-o365.csv'), 'sku,rate,service,description', 'SKU,Rate,Service,Description');
      return [...POWER_UP(w), '--format', 'json'];
    },
    exit: 0,
    // the same card: Contoso's $1,162 O365 in its $26,878.40
    stdout: [pays('1000001', '26878.40')],
  },
  {
    name: 'partners.csv with "Payout Currency" is an error, not a payout in the campaign currency',
    setup(w) {
      replaceIn(join(w.data, 'partners.csv'), 'payout_currency', 'Payout Currency');
      return POWER_UP(w);
    },
    exit: 1,
    stderr: ['partners.csv:1: payout_currency: error MISSING_COLUMN: the header has "payout currency", not payout_currency'],
  },
  {
    name: 'a rate card row with a cell more than its header (a rate written 47,50) is an error, not rate 47',
    setup(w) {
      replaceIn(join(w.rules, 'rate-cards', 'power-up-o365.csv'), 'CFQ7TTC0LF8Q:0001,48,O365,', 'CFQ7TTC0LF8Q:0001,47,50,O365,');
      return POWER_UP(w);
    },
    exit: 1,
    // Before: Contoso paid 26,870.40 (its 8 E3 seats at 47, not 48), exit 0.
    stderr: ['power-up-o365.csv:3: error RATE_CARD_ROW: expected 4 fields (sku,rate,service,description), found 5'],
  },
  {
    name: 'a rate card listing a SKU again in lower case (another rate) is a duplicate',
    setup(w) {
      replaceIn(join(w.rules, 'rate-cards', 'power-up-o365.csv'), /$/, 'cfq7ttc0lf8s:0001,50,O365,E5 again\n');
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [/power-up-o365\.csv:\d+:1: error RATE_CARD_DUPLICATE_SKU: SKU cfq7ttc0lf8s:0001 is listed twice: as CFQ7TTC0LF8S:0001 on line 2/],
  },
  {
    name: 'two campaigns spelling one SKU in two cases are refused: each paid only the rows spelt its way',
    setup(w) {
      replaceIn(join(w.rules, 'rate-cards', 'power-up-o365.csv'), 'CFQ7TTC0LF8R:0001,20,', 'cfq7ttc0lf8r:0001,20,');
      return ['calc', '--rules', w.rules, '--data', w.data];
    },
    exit: 1,
    // Before: Power Up missed Contoso's E1 rows (5 seats x 20 = 100: 26,778.40 instead of 26,878.40), exit 0.
    stderr: [/osu-o365\.csv:2:1: error SKU_SPELT_TWO_WAYS: SKU CFQ7TTC0LF8R:0001 is spelt cfq7ttc0lf8r:0001 by csp-power-up-2017/],
  },
  {
    name: 'with --campaign, only the campaigns that run must spell a SKU alike: Power Up alone reads its lower-case card',
    setup(w) {
      replaceIn(join(w.rules, 'rate-cards', 'power-up-o365.csv'), 'CFQ7TTC0LF8R:0001,20,', 'cfq7ttc0lf8r:0001,20,');
      return ['calc', '--rules', w.rules, '--data', w.data, '--campaign', 'csp-power-up-2017', '--format', 'json'];
    },
    exit: 0,
    // The rows' CFQ7TTC0LF8R:0001 take the card's spelling: Contoso's E1 seats paid, the demo's 26,878.40.
    stdout: [pays('1000001', '26878.40')],
    // And the spelling of a campaign that does not run is not printed as an error.
    stderrNot: [/SKU_SPELT_TWO_WAYS/],
  },
  {
    name: 'a customer_country in lower case (cn) is the excluded market CN, not a country no list names',
    setup(w) {
      replaceIn(w.tx, 'TU01,2018-01-05,1000001,,OS01,US,', 'TU01,2018-01-05,1000001,,OS01,cn,');
      return ['calc', '--rules', join(w.rules, 'online-services-usage.yaml'), '--data', w.data, '--format', 'json'];
    },
    exit: 0,
    // OS01 earned 2 x 1.50 (ExO: users u1, u2, the E1 card's ExO rate) + 1 x 1.00 (SpO: u1) = 4.00 of Relecloud's 221.50; in CN
    // it earns nothing: 221.50 - 4.00 = 217.50 (221.50 before, exit 0).
    stdout: [pays('4000001', '217.50')],
  },
  {
    name: 'a customer_country that is not a two-letter code (USA) is an error naming the line',
    setup(w) {
      replaceIn(w.tx, 'TU01,2018-01-05,1000001,,OS01,US,', 'TU01,2018-01-05,1000001,,OS01,USA,');
      return ['calc', '--rules', join(w.rules, 'online-services-usage.yaml'), '--data', w.data];
    },
    exit: 1,
    stderr: [
      'transactions.csv:67: customer_country: error INVALID_ROW: not a two-letter country code (expected an ISO 3166-1 alpha-2 code such as US or DE, found "USA")',
    ],
  },
  {
    name: "a partner's country that is not a two-letter code (Germany) is an error naming the line",
    setup(w) {
      replaceIn(join(w.data, 'partners.csv'), '1000001,Contoso Cloud,US,', '1000001,Contoso Cloud,Germany,');
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [
      'partners.csv:2: country: error INVALID_ROW: not a two-letter country code (expected an ISO 3166-1 alpha-2 code such as US or DE, found "Germany")',
    ],
  },
  {
    name: "a service column in lower case (o365) names the campaign's O365: same figures",
    setup(w) {
      replaceIn(w.tx, /,O365,CSP,/g, ',o365,CSP,');
      return [...POWER_UP(w), '--format', 'json'];
    },
    exit: 0,
    // Before: every O365 row was SKU_NOT_ELIGIBLE, Contoso paid 26,878.40 - 1,162.00 (its O365) = 25,716.40, exit 0.
    stdout: [pays('1000001', '26878.40')],
  },
  {
    name: 'a registration naming the campaign id in another letter case registers the partner',
    setup(w) {
      replaceIn(join(w.data, 'registrations.csv'), '1000001,csp-power-up-2017,', '1000001,CSP-Power-Up-2017,');
      return [...POWER_UP(w), '--format', 'json'];
    },
    exit: 0,
    // Before: Contoso was PARTNER_NOT_REGISTERED and paid 0.00 (its 26,878.40 lost), exit 0 and no warning.
    stdout: [pays('1000001', '26878.40')],
  },
  {
    name: 'a claim on a workload written in another case (exo) is an error, not a claim on nothing',
    setup(w) {
      replaceIn(join(w.data, 'claims.csv'), '4000001,OS01,,,CPOR', '4000001,OS01,,exo,CPOR');
      return ['calc', '--rules', join(w.rules, 'online-services-usage.yaml'), '--data', w.data];
    },
    exit: 1,
    // Before: OS01's ExO users (2 x 1.50 = 3.00) went unclaimed: Relecloud 217.50 instead of 220.50 (its ExO claim alone), exit 0.
    stderr: [/claims\.csv:2: workload: error INVALID_ROW: unknown workload exo \(expected one of ExO, SpO, /],
  },
  {
    name: 'a tenant id written upper-case in transactions.csv and usage.csv and lower-case in claims.csv is one customer',
    setup(w) {
      const guid = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
      replaceIn(w.tx, ',OS01,', `,${guid.toUpperCase()},`);
      replaceIn(join(w.data, 'usage.csv'), /,OS01,/g, `,${guid.toUpperCase()},`);
      replaceIn(join(w.data, 'claims.csv'), /,OS01,/g, `,${guid},`);
      return ['calc', '--rules', join(w.rules, 'online-services-usage.yaml'), '--data', w.data, '--format', 'json'];
    },
    exit: 0,
    // The demo's figures: Relecloud 221.50. Before: the claim on the lower-case id claimed no usage, OS01's 4.00 lost (217.50), exit 0.
    stdout: [pays('4000001', '221.50')],
  },
  {
    name: 'a transactions file with a header and no rows (an export cut short) is said, not silent',
    setup(w) {
      rewrite(w, (ls) => ls.slice(0, 1));
      return POWER_UP(w);
    },
    exit: 0,
    stderr: [/transactions\.csv:1: warning NO_ROWS: read as canonical: a header and no rows, so nothing in it is paid/],
  },
  {
    name: 'an id a spreadsheet rewrote in scientific notation (1.00E+06) is an error, not a partner of that name',
    setup(w) {
      replaceIn(w.tx, 'T1002,2017-03-05,1000001,', 'T1002,2017-03-05,1.00E+06,');
      return POWER_UP(w);
    },
    exit: 1,
    // Before: T1002 (6 x 73 = 438) went to a partner "1.00E+06" nobody knows: Contoso paid 26,878.40 - 438 = 26,440.40, exit 0.
    stderr: [
      'transactions.csv:3: partner_id: error INVALID_ROW: partner_id is a number in scientific notation, as a spreadsheet rewrites a long id: its digits are lost (expected the id as exported: open the file with the column as text, or export it again, found "1.00E+06")',
    ],
  },
  {
    name: 'an id a script wrote with decimals (1000001.0) is an error, not a partner of that name',
    setup(w) {
      replaceIn(w.tx, 'T1002,2017-03-05,1000001,', 'T1002,2017-03-05,1000001.0,');
      return POWER_UP(w);
    },
    exit: 1,
    // Before: as with 1.00E+06, Contoso paid 26,440.40 (T1002's 438 to nobody), exit 0.
    stderr: [
      'transactions.csv:3: partner_id: error INVALID_ROW: partner_id is a whole number written with decimals, as a tool that read the ids as numbers writes it (expected the id as exported, such as 1000001, found "1000001.0")',
    ],
  },
  {
    name: 'a partners.csv id in scientific notation is an error too',
    setup(w) {
      replaceIn(join(w.data, 'partners.csv'), '1000006,', '1.00E+06,');
      return POWER_UP(w);
    },
    exit: 1,
    stderr: [/partners\.csv:7: partner_id: error INVALID_ROW: partner_id is a number in scientific notation/],
  },
  {
    name: 'lines of empty cells below the data (a spreadsheet saving formatted rows) are skipped and said, not errors',
    setup(w) {
      replaceIn(w.tx, /$/, ',,,,,,,,,,,,,,\n,,,,,,\n');
      replaceIn(join(w.data, 'partners.csv'), /$/, ',,,,\n');
      return [...POWER_UP(w), '--format', 'json', '--verbose'];
    },
    exit: 0,
    // Every one of the 69 rows read, the demo's figures; before, each line was refused as rows missing every required value.
    stdout: ['"read": 69', pays('1000001', '26878.40')],
    stderr: [/transactions\.csv: read as canonical, 69 rows; skipped 2 lines of empty cells/],
  },

  // ---- 1. the ledger: a mistyped path
  {
    name: 'a mistyped --ledger is refused and no file is created',
    setup: (w) => ['payout', 'list', '--ledger', join(w.dir, 'payuots.db')],
    exit: 1,
    stderr: ['no ledger at', 'incent payout init'],
    absent: ['payuots.db'],
  },
];

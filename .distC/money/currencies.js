/**
 * ISO 4217 active currency codes and their minor units (decimal places).
 * Codes absent from ZERO/THREE/FOUR have 2 minor units.
 */
const CODES = ('AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD ' +
    'KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR ' +
    'NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN ' +
    'SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD ' +
    'XCG XOF XPF YER ZAR ZMW ZWG ZWL').split(' ');
const ZERO = new Set('BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'.split(' '));
const THREE = new Set('BHD IQD JOD KWD LYD OMR TND'.split(' '));
const FOUR = new Set(['CLF', 'UYW']);
const KNOWN = new Set(CODES);
export function isCurrency(code) {
    return KNOWN.has(code);
}
/** Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function minorUnits(code) {
    if (!KNOWN.has(code))
        throw new Error(`unknown currency code ${JSON.stringify(code)}`);
    if (ZERO.has(code))
        return 0;
    if (THREE.has(code))
        return 3;
    if (FOUR.has(code))
        return 4;
    return 2;
}

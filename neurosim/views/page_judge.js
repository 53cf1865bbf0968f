// The verdict on a number written by hand, by the rules of neurosim/check/verdict.py (and the
// reading of neurosim/files/answers.py's written_number): one judge for `neurosim check`, `grade`
// and the page. Numbers are exact decimals, n·10^e with n a BigInt, as Python's Decimal keeps them;
// tests/test_page_judge.py compares this file with Python on a thousand pairs.
"use strict";

const NeurosimJudge = (() => {
  const PREC = 28; // Python's default decimal context: a difference keeps 28 digits
  const MAX_DECIMALS = 400; // core/written.py: a number with more decimals or digits is not judged
  const FLOAT_ORDER_ULPS = 2; // verdict.py: a 16–17 digit value this many units in the last place off is right
  const UNIT_SLACK = 1.01; // verdict.py: a right value is within one unit of the last digit written
  const SPACES = /[\u00a0\u202f\u2009 \t]/g;
  const DIGIT = /\p{Nd}/u;
  const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  const DECIMAL_COMMA = /^[+-]?\p{Nd}*,\p{Nd}+(?:[eE][+-]?\p{Nd}+)?$/u;

  const abs = (n) => (n < 0n ? -n : n);
  const digits = (n) => abs(n).toString().length;
  const pow10 = (k) => 10n ** BigInt(k);

  // Every Unicode decimal digit as its ASCII digit (Python's Decimal reads them all: "１.５" is 1.5).
  function asciiDigits(text) {
    let out = "";
    for (const ch of text) {
      if (ch >= "0" && ch <= "9" || !DIGIT.test(ch)) { out += ch; continue; }
      let start = ch.codePointAt(0);
      while (DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
      out += String((ch.codePointAt(0) - start) % 10);
    }
    return out;
  }

  // A written number {text, n, e} (value n·10^e, e the last decimal place written), or null when
  // Python's parse_written would refuse it (not a number, not finite, more than 400 decimals or digits).
  function parseWritten(text) {
    const w = readNumber(text);
    return w === null || tooLong(w) ? null : w;
  }

  const tooLong = (w) => -w.e > MAX_DECIMALS || digits(w.n) > MAX_DECIMALS;

  // Whether `text` is a number, but with more digits than a number can be judged to.
  function hasTooManyDigits(text) {
    let cleaned = String(text).replace(SPACES, "").replace(/\u2212/g, "-");
    if (DECIMAL_COMMA.test(cleaned)) cleaned = cleaned.replace(",", ".");
    const w = readNumber(cleaned);
    return w !== null && tooLong(w);
  }

  function readNumber(text) {
    const cleaned = asciiDigits(String(text).trim()).replace(/_/g, "");
    if (!NUMBER.test(cleaned)) return null;
    const [mantissa, exponent = "0"] = cleaned.split(/[eE]/);
    const negative = mantissa.startsWith("-");
    const [whole, fraction = ""] = mantissa.replace(/^[+-]/, "").split(".");
    let n = BigInt((whole + fraction) || "0");
    if (negative) n = -n;
    if (!Number.isFinite(Number(cleaned))) return null; // 1e999: a Decimal, not a float
    return { text: String(text), n, e: Number(exponent) - fraction.length };
  }

  // A cell or an input as written_number reads it: spaces out, − as -, a decimal comma as a point.
  function writtenNumber(text) {
    let cleaned = String(text).replace(SPACES, "").replace(/\u2212/g, "-");
    if (DECIMAL_COMMA.test(cleaned)) cleaned = cleaned.replace(",", ".");
    return parseWritten(cleaned) === null ? null : cleaned;
  }

  const decimalsOf = (w) => Math.max(0, -w.e);

  // n·10^e rounded to `exponent` ("half-up": half away from zero, "half-even", "down": toward zero),
  // with as many digits as that takes (verdict.py's _quantize).
  function quantize(x, exponent, rounding) {
    let n;
    if (x.e >= exponent) {
      n = x.n * pow10(x.e - exponent);
    } else {
      const d = pow10(exponent - x.e);
      n = x.n / d;
      const twice = 2n * abs(x.n % d);
      const up = rounding === "half-up" ? twice >= d
        : rounding === "half-even" ? twice > d || (twice === d && abs(n) % 2n === 1n) : false;
      if (up) n += x.n < 0n ? -1n : 1n;
    }
    return { n, e: exponent };
  }

  function compare(a, b) {
    const e = Math.min(a.e, b.e);
    const x = a.n * pow10(a.e - e), y = b.n * pow10(b.e - e);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // x rounded half-even to `precision` significant digits (Python's context arithmetic).
  function toPrecision(x, precision) {
    const extra = digits(x.n) - precision;
    return extra > 0 && x.n !== 0n ? quantizeFree(x, x.e + extra) : x;
  }

  function quantizeFree(x, exponent) {
    const d = pow10(exponent - x.e);
    let n = x.n / d;
    const twice = 2n * abs(x.n % d);
    if (twice > d || (twice === d && abs(n) % 2n === 1n)) n += x.n < 0n ? -1n : 1n;
    return { n, e: exponent };
  }

  // The exact value of a double as n·10^e.
  function exactDecimal(value) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    const high = view.getUint32(0), low = view.getUint32(4);
    const biased = (high >>> 20) & 0x7ff;
    let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    let exponent = biased - 1075;
    if (biased === 0) exponent = -1074; else mantissa |= 1n << 52n;
    if (high >>> 31) mantissa = -mantissa;
    if (exponent >= 0) return { n: mantissa << BigInt(exponent), e: 0 };
    return { n: mantissa * 5n ** BigInt(-exponent), e: exponent };
  }

  // The computed value as a calculator shows it (Python: Decimal(f"{x:.15g}")).
  const calculator = (value) => toPrecision(exactDecimal(value), 15);
  // Its shortest form (Python: Decimal(repr(x))); JavaScript's String(x) is the same shortest form.
  const shortest = (value) => parseWritten(String(value));

  // The largest k ≤ decimals written with |written − computed| ≤ ½·10^-k, or null.
  function agreeingDecimals(w, c) {
    const difference = toPrecision({ n: abs(w.n * pow10(w.e - Math.min(w.e, c.e)) -
                                           c.n * pow10(c.e - Math.min(w.e, c.e))), e: Math.min(w.e, c.e) }, PREC);
    for (let k = decimalsOf(w); k >= 0; k -= 1) {
      if (compare(difference, { n: 5n, e: -k - 1 }) <= 0) return k;
    }
    return null;
  }

  // One unit in the last place of a double (Python's math.ulp).
  function ulp(x) {
    if (!Number.isFinite(x)) return Math.abs(x);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(x));
    const biased = (view.getUint32(0) >>> 20) & 0x7ff;
    return biased === 0 ? Number.MIN_VALUE : 2 ** (biased - 1075);
  }

  // Written.as_float and Written.unit: the written value as a double, one unit of its last digit.
  const asFloat = (w) => Number(`${w.n}e${w.e}`);
  const unitOf = (w) => Number(`1e${w.e}`);
  // verdict._far: more than a unit of the last digit from the written value and from its negative.
  const far = (w, c) => Math.abs(asFloat(w) - c) > UNIT_SLACK * unitOf(w) &&
    Math.abs(asFloat(w) + c) > UNIT_SLACK * unitOf(w);

  // {kind: "correct" | "rounded" | "wrong", decimals, agree, how} — verdict.judge. `written` is text
  // or parseWritten's result; `computed` a Number (NaN and ±Infinity: wrong).
  function judge(written, computed) {
    const w = typeof written === "string" ? parseWritten(written) : written;
    const decimals = decimalsOf(w);
    if (!Number.isFinite(computed)) return { kind: "wrong", decimals, agree: null, how: "" };
    const significant = w.n === 0n ? 1 : digits(w.n);
    const c = significant > 15 ? shortest(computed) : calculator(computed);
    // 16 or 17 significant digits one or two units in the last place off: another evaluation order
    if (significant > 15 && compare(c, w) !== 0 && Math.abs(asFloat(w) - computed) <= FLOAT_ORDER_ULPS * ulp(computed)) {
      return { kind: "correct", decimals, agree: decimals, how: "float-order" };
    }
    if (far(w, computed)) {
      const agree = agreeingDecimals(w, c);
      return { kind: "wrong", decimals, agree: agree !== null && decimals ? Math.min(agree, decimals - 1) : null, how: "" };
    }
    if (compare(quantize(c, w.e, "half-up"), w) === 0) return { kind: "correct", decimals, agree: decimals, how: "" };
    let agree = agreeingDecimals(w, c);
    for (const [rounding, how] of [["half-even", "half-even"], ["down", "truncated"]]) {
      if (compare(quantize(c, w.e, rounding), w) === 0) return { kind: "rounded", decimals, agree, how };
    }
    if (w.n !== 0n && compare(quantize({ n: -c.n, e: c.e }, w.e, "half-up"), w) === 0) {
      return { kind: "wrong", decimals, agree, how: "sign" };
    }
    if (agree !== null && agree >= decimals) agree = decimals > 0 ? decimals - 1 : null;
    return { kind: "wrong", decimals, agree, how: "" };
  }

  // verdict.agrees: judge(written, computed) is right (correct or rounded), answered at once for a
  // value more than a unit of the last digit off and more than FLOAT_ORDER_ULPS units in its last place.
  function agrees(written, computed) {
    const w = typeof written === "string" ? parseWritten(written) : written;
    const slack = Math.max(UNIT_SLACK * unitOf(w), FLOAT_ORDER_ULPS * ulp(computed));
    if (!Number.isFinite(computed) || Math.abs(asFloat(w) - computed) > slack) return false;
    return judge(w, computed).kind !== "wrong";
  }

  // The value a written number is judged against under hand rounding (arithmetic.as_checked): the
  // kept (rounded) value when it has exactly the habit's decimals, else the unrounded one.
  function checkedValue(w, kept, raw, roundTo) {
    return raw === undefined || decimalsOf(w) === roundTo ? kept : raw;
  }

  // Verdict.describe in the page's language; `t` holds the sentences (page.py VERDICT_TEXTS).
  function describe(v, t) {
    const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
    if (v.kind === "correct") {
      if (v.how === "float-order") return t.floatOrder;
      if (!v.decimals) return t.whole;
      return fill(v.decimals === 1 ? t.correct1 : t.correctN, { count: v.decimals });
    }
    if (v.kind === "rounded") return v.how === "truncated" ? t.truncated : t.halfEven;
    if (v.how === "sign") return t.sign;
    const first = v.agree === null ? 0 : v.agree + 1;
    if (first === 0) return t.beforePoint;
    const suffix = first % 100 >= 10 && first % 100 <= 20 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[first % 10] || "th");
    return fill(t[suffix], { n: first });
  }

  // A written number as Python's float() reads it (any decimal digits, underscores between them).
  const toNumber = (text) => Number(asciiDigits(String(text).trim()).replace(/_/g, ""));

  // x rounded half-up to `decimals` decimals as a calculator shows it (core/formulas/expr.round_half_up).
  function roundHalfUp(x, decimals) {
    if (!Number.isFinite(x)) return x;
    const q = quantize(calculator(x), -decimals, "half-up");
    return Number(`${q.n}e${q.e}`);
  }

  return { parseWritten, writtenNumber, hasTooManyDigits, judge, agrees, checkedValue, describe, decimalsOf,
           toNumber, roundHalfUp };
})();

if (typeof module !== "undefined") module.exports = NeurosimJudge;

// Follow-through, as check/follow.py does it: does each wrong value follow from the student's values
// before it? Each written value's formula (core/formulas, as JSON: views/page_formulas.py) is
// recomputed from the student's own operands — their value where they wrote one, else what that
// formula gives from their values, down to the givens — and judged at the precision written. A wrong
// value then "follows" (from the student's wrong values it is computed from: its sources) or is a
// root (a slip of its own). tests/test_page_follow.py holds this file to Python's.
"use strict";

const NeurosimFollow = (() => {
  const RIGHT = "right", WRONG = "wrong", FOLLOWS = "follows";
  const READINGS = ["exact", "written"]; // the student's right values at full precision, or as written
  const key = (step, name) => `${step}|${name}`;

  // -- evaluating a tree as core/formulas/expr.evaluate does ------------------------------------------
  const copysignInf = (x) => (x < 0 || Object.is(x, -0) ? -Infinity : Infinity);
  const pyMax = (...xs) => xs.reduce((best, x) => (x > best ? x : best));
  const pyMin = (...xs) => xs.reduce((best, x) => (x < best ? x : best));
  const FUNCTIONS = {
    "σ": (x) => (x >= -500 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    tanh: Math.tanh, relu: (x) => (x > 0 ? x : 0), leaky_relu: (x) => (x > 0 ? x : 0.01 * x),
    softplus: (x) => pyMax(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    step: (x) => (x > 0 ? 1 : 0), leaky_step: (x) => (x > 0 ? 1 : 0.01),
    exp: (x) => (x < 709 ? Math.exp(x) : Infinity),
    ln: (x) => (x > 0 ? Math.log(x) : x === 0 ? -Infinity : NaN), "√": (x) => (x >= 0 ? Math.sqrt(x) : NaN),
    max: pyMax, min: pyMin, sign: (x) => (x > 0) - (x < 0), abs: Math.abs,
  };
  for (let k = 0; k < 16; k += 1) {
    FUNCTIONS[`round${k}`] = (x) => NeurosimJudge.roundHalfUp(x, k);
    FUNCTIONS[`sig${k + 1}`] = (x) => (!Number.isFinite(x) || x === 0 ? x
      : NeurosimJudge.roundHalfUp(x, k - Math.floor(Math.log10(Math.abs(x)))));
  }

  class Unsupported extends Error {}

  function ev(tree, values) {
    switch (tree[0]) {
      case "var": return values.get(key(tree[2], tree[1]));
      case "const": return tree[1];
      case "neg": return -ev(tree[1], values);
      case "add": { let total = 0; for (const item of tree[1]) total += ev(item, values); return total; }
      case "mul": {
        let product = ev(tree[1][0], values);
        for (const item of tree[1].slice(1)) product *= ev(item, values);
        return product;
      }
      case "div": {
        const den = ev(tree[2], values), num = ev(tree[1], values);
        return den !== 0 ? num / den : (num !== 0 ? copysignInf(num) : NaN);
      }
      case "pow": {
        const base = ev(tree[1], values), exponent = ev(tree[2], values);
        if (exponent === 2) return base * base;
        const result = base ** exponent;
        if (!Number.isFinite(result) && Number.isFinite(base) && Number.isFinite(exponent)) throw new Unsupported();
        return result;
      }
      default: {
        const fn = FUNCTIONS[tree[1]];
        if (!fn) throw new Unsupported();
        return fn(...tree[2].map((a) => ev(a, values)));
      }
    }
  }

  // expr.evaluate: NaN where Python's arithmetic raises (an overflowing power, a rounding too long).
  function evaluate(tree, values) {
    try { return ev(tree, values); } catch (e) { return NaN; }
  }

  // The distinct operands of a tree, in order of first use: [step, name] pairs.
  function operands(tree, found = new Map()) {
    if (tree[0] === "var") { if (!found.has(key(tree[2], tree[1]))) found.set(key(tree[2], tree[1]), tree); }
    else if (tree[0] === "add" || tree[0] === "mul") tree[1].forEach((t) => operands(t, found));
    else if (tree[0] === "neg") operands(tree[1], found);
    else if (tree[0] === "div" || tree[0] === "pow") { operands(tree[1], found); operands(tree[2], found); }
    else if (tree[0] === "call") tree[2].forEach((t) => operands(t, found));
    return Array.from(found.keys());
  }

  // -- the student's values (follow.py's StudentValues) ----------------------------------------------
  // graph: {f: key → forms, v: key → neurosim's value (text), o: key → order}; written: key → [value, right].
  function student(graph, written) {
    const memo = { exact: new Map(), written: new Map() };
    const sourceMemo = [new Map(), new Map()];
    const computed = (k) => (graph.v[k] === undefined ? null : Number(graph.v[k]));
    const forms = (k) => graph.f[k] || null;

    function value(k, reading = "exact") {
      const m = memo[reading];
      if (m.has(k)) return m.get(k);
      let result;
      if (written.has(k)) {
        const [v, right] = written.get(k);
        result = right && reading === "exact" ? computed(k) : v;
      } else {
        result = fromFormula(k, reading);
      }
      m.set(k, result);
      return result;
    }

    function fromFormula(k, reading) {
      const f = forms(k), c = computed(k);
      if (f === null) return c;
      const values = operandValues(f[0], reading);
      if (values === null) return c;
      if (Array.from(values).every(([op, v]) => v === computed(op))) return c;
      return evaluate(f[0], values);
    }

    function operandValues(tree, reading) {
      const values = new Map();
      for (const op of operands(tree)) {
        const v = value(op, reading);
        if (v === null) return null;
        values.set(op, v);
      }
      return values;
    }

    function sources(k, rounded = false) {
      const m = sourceMemo[rounded ? 1 : 0];
      if (m.has(k)) return m.get(k);
      m.set(k, []);
      let found;
      if (written.has(k)) {
        const [v, right] = written.get(k);
        found = right === rounded && (!rounded || v !== computed(k)) ? [k] : [];
      } else {
        found = formulaSources(k, rounded);
      }
      m.set(k, found);
      return found;
    }

    function formulaSources(k, rounded = false) {
      const f = forms(k);
      if (f === null) return [];
      const found = new Set();
      for (const form of f) for (const op of operands(form)) for (const s of sources(op, rounded)) found.add(s);
      const order = (s) => (graph.o[s] === undefined ? -1 : graph.o[s]);
      return Array.from(found).sort((a, b) => order(a) - order(b));
    }

    function recompute(k, text, readings = READINGS) {
      const f = forms(k);
      if (f === null) return [null, false];
      let first = null;
      for (const form of f) {
        for (const reading of readings) {
          const values = operandValues(form, reading);
          if (values === null) continue;
          const v = evaluate(form, values);
          if (first === null) first = v;
          if (NeurosimJudge.agrees(text, v)) return [v, true];
        }
      }
      return [first, false];
    }

    return { value, sources, formulaSources, recompute, graph };
  }

  // follow.py's follow_through: the verdict of each written value ({verdict, recomputed, sources,
  // roots}); keys are step|name, texts the numbers as written in neurosim's sign, right the judge's.
  function followThrough(graph, keys, texts, right) {
    const written = new Map();
    keys.forEach((k, i) => { if (!written.has(k)) written.set(k, [NeurosimJudge.toNumber(texts[i]), right[i]]); });
    const s = student(graph, written);
    const order = (k) => (graph.o[k] === undefined ? -1 : graph.o[k]);
    const results = new Array(keys.length);
    const first = new Map();
    const indexes = keys.map((_, i) => i).sort((a, b) => order(keys[a]) - order(keys[b]));
    for (const i of indexes) {
      results[i] = followed(s, keys[i], texts[i], right[i], first);
      if (!first.has(keys[i])) first.set(keys[i], results[i]);
    }
    return results;
  }

  function followed(s, k, text, ok, earlier) {
    if (ok) return { verdict: RIGHT, recomputed: null, sources: [], roots: [] };
    let sources = s.formulaSources(k);
    if (sources.length === 0) {
      sources = s.formulaSources(k, true);
      const [recomputed, follows] = sources.length ? s.recompute(k, text, ["written"]) : [null, false];
      return follows ? { verdict: FOLLOWS, recomputed, sources, roots: [] }
        : { verdict: WRONG, recomputed, sources: [], roots: [k] };
    }
    const [recomputed, follows] = s.recompute(k, text);
    if (!follows) return { verdict: WRONG, recomputed, sources, roots: [k] };
    const roots = new Set();
    for (const source of sources) for (const root of earlier.has(source) ? earlier.get(source).roots : [source]) roots.add(root);
    return { verdict: FOLLOWS, recomputed, sources, roots: Array.from(roots) };
  }

  return { followThrough, evaluate, operands, key, RIGHT, WRONG, FOLLOWS };
})();

if (typeof module !== "undefined") module.exports = NeurosimFollow;

// socialgov's progressive enhancement. Every page works without this script.
import { initAll } from '/assets/nhsuk/nhsuk-frontend.min.js';

initAll();

const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
const form = document.getElementById('checker');

// The post checker: check as you type and highlight each finding in place.
if (form && csrf) {
  const text = form.querySelector('#text');
  const pack = form.querySelector('#pack');
  const results = document.getElementById('results');
  const labels = { block: 'Must change', warn: 'Check', info: 'Note' };
  const tags = { block: 'nhsuk-tag--red', warn: 'nhsuk-tag--orange', info: 'nhsuk-tag--grey' };
  const rank = { block: 3, warn: 2, info: 1 };
  let timer;
  let latest = 0;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const child of children) node.append(child);
    return node;
  };

  // Findings carry UTF-8 byte offsets; map them to string indices.
  const byteToIndex = (s) => {
    const map = new Map();
    let bytes = 0;
    let i = 0;
    for (const ch of s) {
      map.set(bytes, i);
      bytes += new TextEncoder().encode(ch).length;
      i += ch.length;
    }
    map.set(bytes, i);
    return (b) => map.get(b) ?? s.length;
  };

  const show = (value, body) => {
    const toIndex = byteToIndex(value);
    const findings = body.findings.map((f) => ({ ...f, s: toIndex(f.start), e: toIndex(f.end) }));
    results.replaceChildren();
    if (!value.trim()) return;
    if (findings.length === 0) {
      results.append(el('div', { class: 'nhsuk-inset-text', id: 'verdict' }, el('p', {}, 'No problems found.')));
      return;
    }
    results.append(el('h2', { id: 'verdict' }, `${findings.length} ${findings.length === 1 ? 'problem' : 'problems'} found`));
    const cuts = [...new Set([0, value.length, ...findings.flatMap((f) => [f.s, f.e])])].sort((a, b) => a - b);
    const highlighted = el('p', { class: 'sg-highlighted', id: 'highlighted' });
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [a, b] = [cuts[k], cuts[k + 1]];
      const piece = value.slice(a, b);
      const covering = findings
        .map((f, i) => ({ f, i }))
        .filter(({ f }) => f.s <= a && b <= f.e)
        .sort((x, y) => rank[y.f.severity] - rank[x.f.severity])[0];
      highlighted.append(covering
        ? el('mark', { class: `sg-mark sg-${covering.f.severity}`, 'data-finding': String(covering.i) }, piece)
        : piece);
    }
    results.append(highlighted);
    const list = el('ol', { class: 'nhsuk-list sg-findings', id: 'findings' });
    findings.forEach((f, i) => {
      list.append(el('li', { class: `sg-finding sg-${f.severity}`, id: `finding-${i}` },
        el('strong', { class: `nhsuk-tag ${tags[f.severity]}` }, labels[f.severity]),
        ' ',
        el('span', { class: 'sg-excerpt' }, `“${value.slice(f.s, f.e)}”`),
        el('p', {}, f.message),
        el('p', { class: 'nhsuk-body-s' }, `Policy: ${f.clause}`)));
    });
    results.append(list);
  };

  const check = async () => {
    const value = text.value;
    const ticket = ++latest;
    try {
      const response = await fetch('/api/v1/check', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ text: value, pack: pack.value }),
      });
      if (!response.ok || ticket !== latest) return;
      show(value, await response.json());
    } catch {
      // Offline or the server restarted: the Check button still works.
    }
  };

  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  pack.addEventListener('change', check);
}

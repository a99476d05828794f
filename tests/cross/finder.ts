/**
 * The in-page half of the locators: finds the elements matching a query by role and accessible
 * name, label, test id or text, the way a person (or Playwright) names them, and marks each with
 * a `data-xe` attribute so that the driver can act on it by CSS with the engine's native input.
 *
 * It is a string, run by the driver in the page, so that no test-runner transform (module
 * helpers, names kept for stack traces) reaches the browser. `args[0]` is the query.
 */
export interface Query {
	role?: string;
	name?: string;
	label?: string;
	testId?: string;
	text?: string;
	/** Match the name or text as a prefix instead of exactly. */
	prefix?: boolean;
	/** Only headings of this level. */
	level?: number;
}

export const FINDER = String.raw`
const q = args[0];
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
const textOf = (el) => {
	const copy = el.cloneNode(true);
	copy.querySelectorAll('select, input, textarea, script, style').forEach((n) => n.remove());
	return norm(copy.textContent);
};
const labelOf = (el) => {
	if (el.getAttribute('aria-label')) return norm(el.getAttribute('aria-label'));
	const by = el.getAttribute('aria-labelledby');
	if (by) return norm(by.split(/\s+/).map((id) => textOf(document.getElementById(id) || document.createElement('i'))).join(' '));
	if (el.id) {
		const label = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
		if (label) return textOf(label);
	}
	const wrap = el.closest('label');
	if (wrap) return textOf(wrap);
	return '';
};
const roleOf = (el) => {
	const explicit = el.getAttribute('role');
	if (explicit) return explicit;
	const tag = el.tagName;
	if (tag === 'BUTTON') return 'button';
	if (tag === 'A' && el.hasAttribute('href')) return 'link';
	if (tag === 'SELECT') return 'combobox';
	if (tag === 'TEXTAREA') return 'textbox';
	if (/^H[1-6]$/.test(tag)) return 'heading';
	if (tag === 'TABLE') return 'table';
	if (tag === 'DIALOG') return 'dialog';
	if (tag === 'INPUT') {
		const t = el.type;
		if (t === 'checkbox' || t === 'radio') return t;
		if (t === 'button' || t === 'submit') return 'button';
		if (t === 'search') return 'searchbox';
		if (t === 'file' || t === 'hidden') return t;
		return 'textbox';
	}
	return '';
};
const nameOf = (el) => {
	const label = labelOf(el);
	if (label) return label;
	if (el.tagName === 'TABLE') {
		const caption = el.querySelector('caption');
		return caption ? textOf(caption) : '';
	}
	if (el.tagName === 'INPUT') return norm(el.getAttribute('placeholder') || el.value || '');
	return textOf(el);
};
const visible = (el) => el.type === 'file' || !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const same = (actual, wanted) => q.prefix ? actual.startsWith(wanted) : actual === wanted;
let all;
if (q.testId) all = [...document.querySelectorAll('[data-testid="' + CSS.escape(q.testId) + '"]')];
else if (q.label) all = [...document.querySelectorAll('input, select, textarea')].filter((el) => same(labelOf(el), q.label));
else if (q.role) all = [...document.querySelectorAll(q.role === 'heading' ? 'h1,h2,h3,h4,h5,h6,[role=heading]' : '*')].filter((el) => roleOf(el) === q.role && (q.name === undefined || same(nameOf(el), q.name)) && (!q.level || el.tagName === 'H' + q.level));
else if (q.text) all = [...document.querySelectorAll('body *')].filter((el) => same(textOf(el), q.text) && ![...el.children].some((c) => same(textOf(c), q.text)));
else all = [];
const found = all.filter(visible);
return found.map((el) => {
	if (!el.dataset.xe) el.dataset.xe = String(Math.random()).slice(2);
	return { css: '[data-xe="' + el.dataset.xe + '"]', text: norm(el.textContent), value: 'value' in el ? el.value : null, checked: !!el.checked, disabled: !!el.disabled };
});
`;

/** What the finder reports of each element found. */
export interface Found {
	css: string;
	text: string;
	value: string | null;
	checked: boolean;
	disabled: boolean;
}

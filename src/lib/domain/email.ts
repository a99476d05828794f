/**
 * Email cleaning: trimmed, `mailto:` dropped, domain lower-cased, validated with zod.
 * The local part keeps its case: some mail servers treat it as case-sensitive.
 */
import { z } from 'zod';

// No eval-compiled validators: the app runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });

const emailSchema = z.email();
/**
 * The schema's own pattern, tested directly: `safeParse` costs a microsecond or more of zod
 * machinery per row for the same answer (a spec checks that both agree).
 */
const EMAIL_PATTERN: RegExp = emailSchema._zod.def.pattern ?? z.regexes.email;

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

/** Cleans one email cell; empty input is `{ ok: true, email: '' }`. */
export function normalizeEmail(raw: string): EmailResult {
	let text = raw.trim().replace(/^mailto:/i, '');
	if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
	if (text === '') return { ok: true, email: '' };
	const at = text.lastIndexOf('@');
	if (at <= 0 || at === text.length - 1) {
		return { ok: false, reason: 'Not an email address (it needs a name, @ and a domain)' };
	}
	const email = `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
	if (!EMAIL_PATTERN.test(email)) {
		return { ok: false, reason: 'Not a valid email address' };
	}
	return { ok: true, email };
}

/**
 * Header cleaning: names trimmed, an empty header becomes `Column N` (N is the 1-based
 * column), and repeated names are made unique as `Notes`, `Notes (2)`, `Notes (3)`. Comparison is
 * case-insensitive so `Email` and `EMAIL` do not both survive unchanged.
 */
export function uniqueHeaders(raw: readonly string[]): string[] {
	const named = raw.map((h, i) => {
		const clean = h.replace(/^\ufeff/, '').trim();
		return clean === '' ? `Column ${i + 1}` : clean;
	});
	const taken = new Set(named.map((h) => h.toLowerCase()));
	const seen = new Set<string>();
	return named.map((name) => {
		const key = name.toLowerCase();
		if (!seen.has(key)) {
			seen.add(key);
			return name;
		}
		let n = 2;
		while (taken.has(`${key} (${n})`) || seen.has(`${key} (${n})`)) n++;
		const unique = `${name} (${n})`;
		seen.add(unique.toLowerCase());
		return unique;
	});
}

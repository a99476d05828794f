import { describe, expect, it } from 'vitest';
import { freshDb } from '$support/test-db';
import type { IssueKind } from '$lib/domain/row-rules';
import { clearProblems, PROBLEM_CHUNK, ProblemWriter, problemPage } from './problems-repo';

const KINDS: IssueKind[] = ['invalid_email', 'missing_phone', 'invalid_timezone'];

async function write(db: ReturnType<typeof freshDb>, draftId: string, n: number) {
	const writer = new ProblemWriter(db, draftId);
	for (let i = 0; i < n; i++) {
		writer.add({
			row: i + 2,
			kind: KINDS[i % 3],
			column: 'c',
			columnIndex: 1,
			field: 'email',
			value: `v${i}`,
			reason: 'r'
		});
		if (i % 997 === 0) await writer.flushFull();
	}
	await writer.finish();
}

describe('problem chunks', () => {
	it('pages every problem and each kind in file order, across chunk boundaries', async () => {
		const db = freshDb();
		const n = PROBLEM_CHUNK * 9 + 345;
		await write(db, 'd', n);
		const all = await problemPage(db, 'd', '', 0, 50);
		expect(all.total).toBe(n);
		expect(all.rows.map((p) => p.row)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
		// A page size that does not divide the chunk size spans two chunks.
		const spanning = await problemPage(db, 'd', '', 13, 77);
		expect(spanning.rows.map((p) => p.row)).toEqual(
			Array.from({ length: 77 }, (_, i) => 13 * 77 + i + 2)
		);
		const lastPage = await problemPage(db, 'd', '', Math.floor(n / 50), 50);
		expect(lastPage.rows.length).toBe(n % 50);
		const emails = await problemPage(db, 'd', 'invalid_email', 40, 50);
		expect(emails.total).toBe(Math.ceil(n / 3));
		expect(emails.rows[0].row).toBe(40 * 50 * 3 + 2);
		expect(emails.rows.every((p) => p.kind === 'invalid_email')).toBe(true);
		expect((await problemPage(db, 'd', 'malformed', 0, 50)).total).toBe(0);
	});

	it('clears one draft without touching another', async () => {
		const db = freshDb();
		await write(db, 'a', 2500);
		await write(db, 'b', 10);
		await clearProblems(db, 'a');
		expect((await problemPage(db, 'a', '', 0, 50)).total).toBe(0);
		expect((await problemPage(db, 'b', '', 0, 50)).total).toBe(10);
	});
});

import { describe, expect, it, vi } from 'vitest';
import { freshDb } from '$support/test-db';
import { getDraft } from '$lib/db/drafts-repo';
import { addCustomField } from '$lib/db/custom-fields-repo';
import { rememberMapping } from '$lib/db/mappings-repo';
import { Step } from './wizard.svelte';
import { fakeApi, previewOf, summaryOf, testWizard } from '$support/wizard';

const preview = previewOf(['Phone', 'First Name', 'Lead Source'], ['+14155552671', 'Ada', 'Web']);
const file = () => new File(['Phone,First Name,Lead Source\n+14155552671,Ada,Web\n'], 'people.csv');

/** A wizard on Review with the pass done. */
async function inReview(deps: Parameters<typeof testWizard>[1] = {}) {
	const t = testWizard(fakeApi(preview), deps);
	await t.wizard.init();
	await t.wizard.selectFile(file());
	await t.wizard.next();
	await t.wizard.next();
	expect(t.wizard.step).toBe(Step.Review);
	expect(t.wizard.review).not.toBeNull();
	return t;
}

describe('ImportWizard', () => {
	it('walks Upload → Map → Review with the suggested mapping, and blocks Next without a phone', async () => {
		const { wizard } = testWizard(fakeApi(preview));
		await wizard.init();
		expect(wizard.canNext).toBe(false);
		await wizard.selectFile(file());
		expect(wizard.mapping).toEqual(['phone', 'first_name', '']);
		await wizard.next();
		expect(wizard.step).toBe(Step.Map);
		wizard.map.setTarget(0, 'skip');
		expect(wizard.canNext).toBe(false);
		expect(wizard.blockers.length).toBeGreaterThan(0);
		wizard.map.setTarget(0, 'phone');
		await wizard.next();
		expect(wizard.step).toBe(Step.Review);
		expect(wizard.rowsToImport).toBe(1);
		wizard.back();
		expect(wizard.step).toBe(Step.Map);
	});

	it('Next on Upload waits for the suggested mapping, however quickly it is pressed', async () => {
		const db = freshDb();
		const t = testWizard(fakeApi(preview), { db });
		await t.wizard.init();
		// The mapping memory answers late, as a slow IndexedDB does (WebKit's, seen here).
		let answer = () => {};
		vi.spyOn(db.rememberedMappings, 'get').mockImplementation(
			() =>
				new Promise((resolve) => {
					answer = () => resolve(undefined);
				}) as never
		);
		const selecting = t.wizard.selectFile(file());
		await vi.waitFor(() => expect(t.wizard.preview).not.toBeNull());
		expect(t.wizard.mapping).toEqual([]);
		expect(t.wizard.canNext).toBe(false);
		await t.wizard.next();
		expect(t.wizard.step).toBe(Step.Upload);
		answer();
		await selecting;
		expect(t.wizard.canNext).toBe(true);
		await t.wizard.next();
		expect(t.wizard.step).toBe(Step.Map);
		expect(t.wizard.mapping).toEqual(['phone', 'first_name', '']);
	});

	it('Review works when the draft cannot be saved, and says a reload would lose it', async () => {
		const db = freshDb();
		const t = testWizard(fakeApi(preview), { db });
		await t.wizard.init();
		await t.wizard.selectFile(file());
		await t.wizard.next();
		// WebKit's refusal, as the previous release met it on every save.
		vi.spyOn(db.fileParts, 'put').mockRejectedValue(
			new Error('Error preparing Blob/File data to be stored in object store')
		);
		await t.wizard.next();
		expect(t.wizard.step).toBe(Step.Review);
		expect(t.wizard.review).not.toBeNull();
		expect(t.wizard.canNext).toBe(true);
		expect(t.wizard.draftError).toMatch(
			/could not be saved for a reload: The file “people.csv” could not be saved in this browser's storage: Error preparing Blob/
		);
		expect(await getDraft(db)).toBeUndefined();
	});

	it('stops a review that makes no progress, with a message, and ends the worker', async () => {
		const t = testWizard(fakeApi(preview, { review: () => new Promise(() => {}) }), {
			watchdogMs: 100
		});
		await t.wizard.selectFile(file());
		await t.wizard.next();
		await t.wizard.next();
		expect(t.wizard.step).toBe(Step.Review);
		expect(t.wizard.reviewing).toBe(false);
		expect(t.wizard.reviewError).toMatch(/no progress/);
		expect(t.stats.terminated).toBe(1);
	});

	it('a newer review replaces one in flight, whose late answer is never shown', async () => {
		let calls = 0;
		const answers: ((n: number) => void)[] = [];
		const api = fakeApi(preview, {
			review: () => {
				calls++;
				return new Promise((resolve) => answers.push((n) => resolve(summaryOf(n))));
			}
		});
		const { wizard } = testWizard(api);
		await wizard.selectFile(file());
		await wizard.next();
		const first = wizard.next();
		await vi.waitFor(() => expect(calls).toBe(1));
		const second = wizard.runReview();
		expect(calls).toBe(2);
		answers[1](7);
		await second;
		answers[0](99);
		await first;
		expect(wizard.review?.validRows).toBe(7);
		expect(wizard.reviewing).toBe(false);
	});

	it('keeps a draft, and a new wizard restores it on Review with its fixes', async () => {
		const db = freshDb();
		const { wizard } = await inReview({ db });
		await wizard.skipRow(2);
		await wizard.setExistingPolicy('skip');
		const draft = await getDraft(db);
		expect(draft).toMatchObject({ fileName: 'people.csv', options: { existingPolicy: 'skip' } });

		const again = testWizard(fakeApi(preview), { db }).wizard;
		await again.init();
		expect(again.step).toBe(Step.Review);
		expect(again.restored).toBe(true);
		expect(again.fixes).toEqual([{ kind: 'skip', row: 2 }]);
		expect(again.existingPolicy).toBe('skip');
		expect(again.review).not.toBeNull();

		await again.discardDraft();
		expect(again.step).toBe(Step.Upload);
		expect(await getDraft(db)).toBeUndefined();
	});

	it('a file chosen while the draft is being read wins over the draft', async () => {
		const db = freshDb();
		await inReview({ db });
		expect(await getDraft(db)).toBeDefined();
		const other = previewOf(['Mobile'], ['+14155550000']);
		let previews = 0;
		const again = testWizard(
			fakeApi(preview, {
				// The draft's file answers last: a late answer must not replace the chosen file's.
				preview: async (f: File) => {
					previews++;
					if (f.name === 'people.csv') await new Promise((r) => setTimeout(r, 30));
					return f.name === 'people.csv' ? preview : other;
				}
			}),
			{ db }
		).wizard;
		const starting = again.init();
		await again.selectFile(new File(['Mobile\n+14155550000\n'], 'chosen.csv'));
		await starting;
		expect(again.step).toBe(Step.Upload);
		expect(again.restored).toBe(false);
		expect(again.preview?.headers).toEqual(['Mobile']);
		expect(previews).toBeGreaterThanOrEqual(1);
	});

	it('fills time zones by default; turning it off keeps the counts and is stored with the job', async () => {
		const db = freshDb();
		const { wizard } = await inReview({ db, newId: () => 'job-tz' });
		expect(wizard.fillTimezones).toBe(true);
		expect(wizard.calling).toMatchObject({ zoneFilled: 0, zoneEmpty: 0 });
		await wizard.setFillTimezones(false);
		expect((await getDraft(db))?.options.fillTimezones).toBe(false);
		await wizard.startImport();
		expect((await db.jobs.get('job-tz'))?.options.fillTimezones).toBe(false);
	});

	it('refuses an incomplete fix with a message, and writes nothing', async () => {
		const { wizard } = await inReview();
		await wizard.editCell(-1, 0, 'x');
		expect(wizard.reviewError).toMatch(/not complete/);
		expect(wizard.fixes).toEqual([]);
	});

	it('starts the import: job, stored file, auto-created fields in one go; the draft is dropped', async () => {
		const db = freshDb();
		await addCustomField(db, 'campaign', 'Campaign');
		const { wizard } = await inReview({ db, newId: () => 'job-1', now: () => 1000 });
		await wizard.setAutoCreate(true);
		expect(wizard.plannedFields).toEqual([
			{ column: 2, header: 'Lead Source', key: 'lead_source' }
		]);
		const id = await wizard.startImport();
		expect(id).toBe('job-1');
		const job = await db.jobs.get('job-1');
		expect(job).toMatchObject({
			status: 'queued',
			fileName: 'people.csv',
			mapping: ['phone', 'first_name', 'cf:lead_source'],
			createdFields: ['lead_source'],
			totalRows: 1,
			createdAt: 1000,
			options: { fillTimezones: true }
		});
		expect(await db.jobFiles.get('job-1')).toBeDefined();
		expect((await db.customFields.get('lead_source'))?.createdByJob).toBe('job-1');
		expect(await getDraft(db)).toBeUndefined();
	});

	it('refuses to start when the browser allows less storage than the import needs', async () => {
		const db = freshDb();
		const { wizard } = await inReview({
			db,
			storage: { estimate: () => Promise.resolve({ quota: 1000, usage: 900 }) }
		});
		expect(await wizard.startImport()).toBeNull();
		expect(wizard.startError).toMatch(/needs about .* only 100 bytes more/);
		expect(await db.jobs.count()).toBe(0);
	});

	it('goes on when the browser refuses persistence or an estimate', async () => {
		const { wizard } = await inReview({
			storage: {
				persist: () => Promise.reject(new Error('denied')),
				estimate: () => Promise.reject(new Error('unsupported'))
			}
		});
		expect(await wizard.startImport()).not.toBeNull();
	});

	it('says why a file could not be read', async () => {
		const { wizard } = testWizard(
			fakeApi(preview, { preview: () => Promise.reject(new Error('not a text file')) })
		);
		await wizard.selectFile(file());
		expect(wizard.preview).toBeNull();
		expect(wizard.uploadError).toBe('The file could not be read: not a text file');
		expect(wizard.canNext).toBe(false);
	});

	it('remembers the mapping of a header set for the next file', async () => {
		const db = freshDb();
		const first = testWizard(fakeApi(preview), { db }).wizard;
		await first.selectFile(file());
		first.map.setTarget(1, 'last_name');
		await first.map.save('Mine');
		await rememberMapping(db, preview.headers, first.mapping);

		const second = testWizard(fakeApi(preview), { db }).wizard;
		await second.init();
		await second.selectFile(file());
		expect(second.mapping).toEqual(['phone', 'last_name', '']);
		expect(second.map.note).toMatch(/imported before/);
		expect(second.map.savedMappings.map((m) => m.name)).toEqual(['Mine']);
	});
});

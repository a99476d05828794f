import { describe, expect, it } from 'vitest';
import { WorkerBridge } from '$lib/worker/bridge';
import type { PreviewOverrides } from '$lib/worker/preview';
import { FileSource, type PreviewApi } from './file-source.svelte';
import { previewOf } from '$support/wizard';

function source(preview = previewOf(['Phone'], ['+14155552671'])) {
	const asked: PreviewOverrides[] = [];
	const api: PreviewApi = {
		preview: (_file, overrides = {}) => {
			asked.push(overrides);
			return Promise.resolve(preview);
		},
		cancel: () => undefined
	};
	return { s: new FileSource(new WorkerBridge({ start: () => ({ api, terminate() {} }) })), asked };
}

const file = new File(['Phone\n+14155552671\n'], 'a.csv');

describe('FileSource', () => {
	it('reads the chosen file and is ready for mapping', async () => {
		const { s } = source();
		expect(s.ready).toBe(false);
		await s.choose(file);
		expect(s.headers).toEqual(['Phone']);
		expect(s.ready).toBe(true);
	});

	it('a new encoding or delimiter reads again and detects the header row again', async () => {
		const { s, asked } = source();
		await s.choose(file);
		expect(await s.setHeaderRow(3)).toBe(true);
		await s.setDelimiter(';');
		await s.setEncoding('windows-1252');
		expect(asked).toEqual([
			{},
			{ headerRow: 3 },
			{ delimiter: ';' },
			{ delimiter: ';', encoding: 'windows-1252' }
		]);
	});

	it('refuses a header row that is not a whole number from 1, and reads nothing', async () => {
		const { s, asked } = source();
		await s.choose(file);
		expect(await s.setHeaderRow(0)).toBe(false);
		expect(await s.setHeaderRow(1.5)).toBe(false);
		expect(s.error).toMatch(/whole number from 1/);
		expect(asked).toHaveLength(1);
	});

	it('is not ready when the preview reports a problem that stops the import', async () => {
		const { s } = source({ ...previewOf(['Phone'], ['x']), problem: 'This is not a CSV file.' });
		await s.choose(file);
		expect(s.ready).toBe(false);
	});
});

import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { freshDb } from '$lib/jobs/test-support';
import { ImportWizard } from '$lib/state/wizard.svelte';
import { fakeCsvWorker, previewOf } from '$lib/worker/fake-worker';
import MapStep from './MapStep.svelte';

const preview = previewOf(
	'people.csv',
	['Mobile', 'Work Phone', 'Email'],
	['+14155552671', '+14155552672', 'a@x.io']
);

async function wizardWithPreview() {
	const worker = fakeCsvWorker({ preview: async () => preview });
	const wizard = new ImportWizard({
		db: freshDb(),
		startWorker: () => worker,
		callback: (f) => f
	});
	await wizard.selectFile(new File(['x'], 'people.csv'));
	await wizard.next();
	expect(wizard.step).toBe('map');
	return wizard;
}

describe('MapStep', () => {
	it('shows one select per column, named by its header, with the suggestion', async () => {
		const wizard = await wizardWithPreview();
		render(MapStep, { wizard });
		expect(screen.getByRole('combobox', { name: 'Mobile' })).toHaveValue('phone');
		expect(screen.getByRole('combobox', { name: 'Work Phone' })).toHaveValue('');
		expect(screen.getByRole('combobox', { name: 'Email' })).toHaveValue('email');
		expect(screen.queryByRole('alert')).toBeNull();
		expect(wizard.canNext).toBe(true);
	});

	it('blocks two columns on one target with an alert naming both', async () => {
		const wizard = await wizardWithPreview();
		render(MapStep, { wizard });
		await fireEvent.change(screen.getByRole('combobox', { name: 'Work Phone' }), {
			target: { value: 'phone' }
		});
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('“Mobile” and “Work Phone” are all mapped to Phone');
		expect(wizard.canNext).toBe(false);

		await fireEvent.change(screen.getByRole('combobox', { name: 'Work Phone' }), {
			target: { value: 'skip' }
		});
		expect(screen.queryByRole('alert')).toBeNull();
		expect(wizard.canNext).toBe(true);
	});
});

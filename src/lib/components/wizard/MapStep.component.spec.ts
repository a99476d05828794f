import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { fakeApi, previewOf, testWizard } from '$support/wizard';
import MapStep from './MapStep.svelte';

const preview = previewOf(
	['Mobile', 'Work Phone', 'Email'],
	['+14155552671', '+14155552672', 'a@x.io']
);

async function wizardWithPreview() {
	const { wizard } = testWizard(fakeApi(preview));
	await wizard.selectFile(new File(['x'], 'people.csv'));
	await wizard.next();
	expect(wizard.step).toBe('map');
	return wizard;
}

describe('MapStep', () => {
	it('shows one select per column, named by its header, with the suggestion', async () => {
		const wizard = await wizardWithPreview();
		render(MapStep, { map: wizard.map, samples: wizard.preview?.samples ?? [] });
		expect(screen.getByRole('combobox', { name: 'Mobile' })).toHaveValue('phone');
		expect(screen.getByRole('combobox', { name: 'Work Phone' })).toHaveValue('');
		expect(screen.getByRole('combobox', { name: 'Email' })).toHaveValue('email');
		expect(screen.queryByRole('alert')).toBeNull();
		expect(wizard.canNext).toBe(true);
	});

	it('blocks two columns on one target with an alert naming both', async () => {
		const wizard = await wizardWithPreview();
		render(MapStep, { map: wizard.map, samples: wizard.preview?.samples ?? [] });
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

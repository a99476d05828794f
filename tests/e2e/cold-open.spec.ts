/**
 * The contacts list after a reload: its first page is shown from what the worker last answered,
 * before the contact index is read, and only while that still describes the stored contacts. An
 * edit, a delete or another import made since shows, never the older list.
 */
import { expect, test, type Page } from '@playwright/test';
import { editFirstName, importWithDefaults, writeCsv } from './helpers';

/** A full load of the list (a new page and worker); waits for `names` in order. */
async function reloadedList(page: Page, count: string, names: string[]) {
	await page.goto('/');
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText(count);
	const list = page.getByRole('list', { name: 'Contacts' });
	await expect(list.getByRole('link')).toHaveText(names);
	// The worker keeps this list's first page a moment after it answers.
	await page.waitForTimeout(300);
}

test('after a reload the list is the stored one, across an edit, a delete and an import', async ({
	page
}) => {
	page.on('dialog', (d) => void d.accept());
	await importWithDefaults(
		page,
		writeCsv('three.csv', [
			'Phone,First Name,Last Name',
			'+1 212 555 0101,Ana,Ruiz',
			'+1 212 555 0102,Ben,Okafor',
			'+1 212 555 0103,Cleo,Adams'
		])
	);
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await reloadedList(page, '3', ['Cleo Adams', 'Ben Okafor', 'Ana Ruiz']);
	await reloadedList(page, '3', ['Cleo Adams', 'Ben Okafor', 'Ana Ruiz']);

	await editFirstName(page, 'Ana Ruiz', 'Abby');
	await reloadedList(page, '3', ['Cleo Adams', 'Ben Okafor', 'Abby Ruiz']);

	await page.goto('/contacts');
	await page.getByRole('link', { name: 'Ben Okafor' }).click();
	await page.getByRole('button', { name: 'Delete' }).click();
	await expect(page).toHaveURL(/\/contacts$/);
	await reloadedList(page, '2', ['Cleo Adams', 'Abby Ruiz']);

	await importWithDefaults(
		page,
		writeCsv('one-more.csv', ['Phone,First Name,Last Name', '+1 212 555 0104,Dev,Baker'])
	);
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await reloadedList(page, '3', ['Cleo Adams', 'Dev Baker', 'Abby Ruiz']);
});

/** The kept first page, read from IndexedDB itself: its total and names, or null. */
const keptSnapshot = (page: Page) =>
	page.evaluate(
		() =>
			new Promise<{ total: number; names: string[] } | null>((resolve, reject) => {
				const open = indexedDB.open('callaro-import');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const get = db.transaction('settings').objectStore('settings').get('listSnapshot');
					get.onsuccess = () => {
						db.close();
						const value = get.result?.value as
							{ total: number; contacts: { firstName?: string; lastName?: string }[] } | undefined;
						resolve(
							value
								? {
										total: value.total,
										names: value.contacts.map((c) => `${c.firstName} ${c.lastName}`)
									}
								: null
						);
					};
					get.onerror = () => reject(get.error);
				};
			})
	);

test('an import keeps the list’s first page when it ends, before the list is ever opened', async ({
	page
}) => {
	await importWithDefaults(
		page,
		writeCsv('kept.csv', [
			'Phone,First Name,Last Name',
			'+1 212 555 0111,Zoe,Young',
			'+1 212 555 0112,Adam,Brown'
		])
	);
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect
		.poll(() => keptSnapshot(page))
		.toEqual({
			total: 2,
			names: ['Adam Brown', 'Zoe Young']
		});
	await reloadedList(page, '2', ['Adam Brown', 'Zoe Young']);
});

#!/usr/bin/env node
/**
 * Prints how long a search and a segment count take over N contacts, in the built app in headless
 * Chromium with an on-disk profile. Contacts are seeded straight into IndexedDB (same shape and
 * index fields as the app writes). Usage: npm run build && node scripts/measure-contacts.js
 * [--contacts 100000]. Prints figures; asserts nothing.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from './chromium.js';

const args = process.argv.slice(2);
const total = Number(args[args.indexOf('--contacts') + 1] || 100_000) || 100_000;
const port = 4191;
const server = spawn(process.execPath, ['scripts/serve.js', '--port', String(port)], {
	stdio: 'ignore'
});
const profile = mkdtempSync(join(tmpdir(), 'callaro-contacts-'));
try {
	await new Promise((r) => setTimeout(r, 500));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath,
		args: chromiumArgs
	});
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`http://localhost:${port}/contacts`);
	await page.getByTestId('contacts-count').waitFor();
	const t0 = Date.now();
	await page.evaluate(async (n) => {
		const db = await new Promise((res, rej) => {
			const q = indexedDB.open('callaro-import');
			q.onsuccess = () => res(q.result);
			q.onerror = () => rej(q.error);
		});
		const first = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal'];
		const last = ['King', 'Ray', 'Lee', 'Moss', 'Nash', 'Orr', 'Pike', 'Quinn'];
		for (let start = 0; start < n; start += 5000) {
			await new Promise((res, rej) => {
				const tx = db.transaction('contacts', 'readwrite');
				const store = tx.objectStore('contacts');
				for (let i = start; i < Math.min(n, start + 5000); i++) {
					const f = first[i % 8] + (i % 1000);
					const l = last[(i >> 3) % 8];
					const phone = `+1212${2000000 + i}`;
					const tags = i % 10 === 0 ? ['vip'] : [];
					store.put({
						phone,
						firstName: f,
						lastName: l,
						email: `${f.toLowerCase()}.${i}@example.com`,
						company: `Company ${i % 500}`,
						tags,
						custom: { region: i % 3 ? 'West' : 'East' },
						createdAt: 0,
						updatedAt: 0,
						sortName: `${l} ${f}`.toLowerCase(),
						search: [
							f.toLowerCase(),
							l.toLowerCase(),
							'company',
							String(i % 500),
							`${f} ${l}`.toLowerCase(),
							`company ${i % 500}`,
							`${f.toLowerCase()}.${i}@example.com`,
							phone.slice(1),
							...tags.map((t) => `t:${t}`)
						]
					});
				}
				tx.oncomplete = res;
				tx.onerror = () => rej(tx.error);
			});
		}
		db.close();
	}, total);
	const seedMs = Date.now() - t0;
	await page.reload();
	await page
		.getByTestId('contacts-count')
		.filter({ hasText: total.toLocaleString('en-US') })
		.waitFor({ timeout: 600_000 });

	const time = async (fn) => {
		const t = performance.now();
		await fn();
		return performance.now() - t;
	};
	const search = async (q, expectText) => {
		await page.getByLabel('Search contacts').fill('');
		return time(async () => {
			await page.getByLabel('Search contacts').fill(q);
			await page
				.getByRole('list', { name: 'Search results' })
				.getByRole('link')
				.first()
				.filter({ hasText: expectText })
				.waitFor();
		});
	};
	// The first query after opening pays for opening the database and warming its index pages.
	const coldMs = await search('ada1', 'Ada1');
	const nameMs = await search('gus7', 'Gus7');
	const phoneMs = await search(
		`(212) ${String(2000000 + total - 1).slice(0, 3)}-${String(2000000 + total - 1).slice(3)}`,
		''
	);
	const k = total - 4;
	const kName = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal'][k % 8] + (k % 1000);
	const emailMs = await search(`${kName.toLowerCase()}.${k}@`, kName);

	await page.goto(`http://localhost:${port}/segments`);
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Field').selectOption('tags');
	await page.getByLabel('Operator').selectOption('has_tag');
	const segMs = await time(async () => {
		await page.getByLabel('Value').fill('vip');
		await page
			.getByTestId('segment-count')
			.filter({ hasText: (total / 10).toLocaleString('en-US') })
			.waitFor({ timeout: 600_000 });
	});
	await context.close();
	console.log(
		`contacts: ${total.toLocaleString('en-US')} (seeded in ${(seedMs / 1000).toFixed(1)} s)`
	);
	console.log(`first search after opening (cold): ${coldMs.toFixed(0)} ms`);
	console.log(`search by name prefix:  ${nameMs.toFixed(0)} ms (typed → first result shown)`);
	console.log(`search by phone (national format): ${phoneMs.toFixed(0)} ms`);
	console.log(`search by email prefix: ${emailMs.toFixed(0)} ms`);
	console.log(`segment count (tags has_tag vip, full scan in the worker): ${segMs.toFixed(0)} ms`);
} finally {
	server.kill();
	rmSync(profile, { recursive: true, force: true });
}

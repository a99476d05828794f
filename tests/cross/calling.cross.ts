/**
 * Calling hours in every engine: the Review's callable count, a contact's local time and the
 * `callable_now` segment agree with the zone rules Node computes for the same instant (each
 * engine carries its own IANA data). The browsers' clocks are not fixed here, so each check
 * accepts what either side of a minute boundary gives.
 */
import { describe, expect, it } from 'vitest';
import { enginesToTest } from './browsers';
import { useDevice } from './fixture';
import { waitFor } from './driver';
import { importEnds, next, tempFile, upload } from './app';

/** One zone per row, spread round the world, so that some are in hours at any time of day. */
const ZONES = [
	'Pacific/Honolulu',
	'America/Los_Angeles',
	'America/New_York',
	'America/Sao_Paulo',
	'Europe/London',
	'Europe/Berlin',
	'Asia/Kolkata',
	'Asia/Tokyo',
	'Australia/Sydney',
	'Pacific/Auckland'
];

function localMinute(zone: string, at: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		hour: '2-digit',
		minute: '2-digit'
	}).formatToParts(at);
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return (get('hour') % 24) * 60 + get('minute');
}

/** Rows callable at `at` with the default hours, 08:00 to 21:00. */
const callableAt = (at: number) =>
	ZONES.filter((zone) => {
		const m = localMinute(zone, at);
		return m >= 8 * 60 && m < 21 * 60;
	}).length;

/** Waits until `read` gives what `expected` says now or a few seconds ago (a minute may turn). */
async function agrees<T>(read: () => Promise<T>, expected: (at: number) => T, what: string) {
	await waitFor(
		async () => {
			const seen = await read();
			const now = Date.now();
			return seen === expected(now) || seen === expected(now - 3000);
		},
		what,
		20_000
	);
}

describe.each(enginesToTest())('%s', (engine) => {
	const ctx = useDevice(engine);

	it('Review, a contact and a segment count who is callable now from each zone', async () => {
		const { page } = ctx.device;
		const rows = ZONES.map(
			(zone, i) => `+1 212 200 ${String(1000 + i)},Zone${i},${zone.split('/')[1]},${zone}`
		);
		// A toll-free number with no zone: never callable.
		rows.push('+1 800 555 0199,No,Zone,');
		await upload(
			page,
			tempFile('zones.csv', ['Phone,First Name,Last Name,Time Zone', ...rows].join('\n'))
		);
		await next(page, 'Map columns');
		await next(page, 'Review');
		expect(await page.testId('review-rows-to-import').number(60_000)).toBe(ZONES.length + 1);
		await agrees(
			() => page.testId('review-callable-now').number(),
			callableAt,
			'the Review to count the rows callable now'
		);
		expect(await page.testId('review-callable-unknown').number()).toBe(1);
		await next(page, 'Import');
		await page.role('button', 'Start import').click();
		await importEnds(page);

		await page.navigate('Contacts');
		await page.label('Search contacts').fill('Tokyo');
		await page.role('link', 'Zone7 Tokyo').click();
		await page.heading('Zone7 Tokyo');
		const hhmm = (m: number) =>
			`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
		// The value beside the label, read in the page.
		const localTime = () =>
			page.run<string | null>(
				`return [...document.querySelectorAll('dt')].find((dt) => dt.textContent.trim() === 'Local time')?.nextElementSibling?.textContent.trim() ?? null;`
			);
		await agrees(localTime, (at) => hhmm(localMinute('Asia/Tokyo', at)), 'the local time in Tokyo');

		await page.navigate('Segments');
		await page.role('button', 'New segment').click();
		await page.label('Field').select('callable_now');
		await page.label('Operator').select('equals');
		await page.label('Value').fill('yes');
		await agrees(
			() => page.testId('segment-count').number(),
			callableAt,
			'the callable_now segment count'
		);
		await page.label('Value').fill('no');
		await agrees(
			() => page.testId('segment-count').number(),
			(at) => ZONES.length + 1 - callableAt(at),
			'the segment of those not callable now'
		);
	});
});

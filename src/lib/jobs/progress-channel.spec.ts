import { describe, expect, it } from 'vitest';
import { emptyCounts } from '$lib/domain/counts';
import { ProgressPoster, shownCounts, type JobProgress } from './progress-channel';

const at = (processed: number): JobProgress => ({
	jobId: 'j',
	counts: { ...emptyCounts(), processed },
	rowsPerSecond: processed
});

describe('ProgressPoster', () => {
	it('sends at most one message per interval and the last one on flush', () => {
		let t = 0;
		const sent: number[] = [];
		const poster = new ProgressPoster(
			(p) => sent.push(p.counts.processed),
			250,
			() => t
		);
		poster.push(at(1));
		t = 100;
		poster.push(at(2));
		t = 200;
		poster.push(at(3));
		t = 260;
		poster.push(at(4));
		t = 300;
		poster.push(at(5));
		poster.flush();
		poster.flush();
		expect(sent).toEqual([1, 4, 5]);
	});
});

describe('shownCounts', () => {
	const record = (status: string, processed: number) => ({
		status,
		counts: { ...emptyCounts(), processed },
		rowsPerSecond: 7
	});
	it('shows a newer message only while the job runs', () => {
		expect(shownCounts(record('running', 10), at(20)).counts.processed).toBe(20);
		expect(shownCounts(record('running', 30), at(20)).counts.processed).toBe(30);
		expect(shownCounts(record('paused', 10), at(20)).counts.processed).toBe(10);
		expect(shownCounts(record('completed', 10), null)).toMatchObject({ rowsPerSecond: 7 });
	});
});

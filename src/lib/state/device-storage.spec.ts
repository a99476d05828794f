import { describe, expect, it } from 'vitest';
import { DeviceStorage, engineOf } from './device-storage.svelte';

const UA = {
	iphone:
		'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
	chromeOnIphone:
		'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
	firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
	chromium:
		'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
	minibrowser:
		'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15'
};

function flag() {
	const items = new Map<string, string>();
	return {
		getItem: (k: string) => items.get(k) ?? null,
		setItem: (k: string, v: string) => void items.set(k, v)
	};
}

describe('engineOf', () => {
	it('tells the three engines apart, and every iPhone browser is WebKit', () => {
		expect(engineOf(UA.iphone)).toBe('webkit');
		expect(engineOf(UA.chromeOnIphone)).toBe('webkit');
		expect(engineOf(UA.minibrowser)).toBe('webkit');
		expect(engineOf(UA.firefox)).toBe('gecko');
		expect(engineOf(UA.chromium)).toBe('chromium');
		expect(engineOf(UA.chromium.replace('Chrome/', 'HeadlessChrome/'))).toBe('chromium');
	});
});

describe('DeviceStorage', () => {
	it('askOnce asks once and never waits for the answer (Firefox prompts)', async () => {
		let asked = 0;
		const never = new Promise<boolean>(() => {});
		const storage = new DeviceStorage(
			{ persist: () => (asked++, never), persisted: () => Promise.resolve(false) },
			flag(),
			'gecko'
		);
		storage.askOnce();
		storage.askOnce();
		expect(asked).toBe(1);
		await storage.refresh();
		expect(storage.persisted).toBe(false);
	});

	it('request says what the browser answered', async () => {
		const granted = new DeviceStorage({ persist: () => Promise.resolve(true) }, flag(), 'chromium');
		await granted.request();
		expect(granted.persisted).toBe(true);
		expect(granted.note).toMatch(/keeps the app’s data/);
		const refused = new DeviceStorage({ persist: () => Promise.resolve(false) }, flag(), 'webkit');
		await refused.request();
		expect(refused.note).toMatch(/did not make the storage persistent. Safari deletes/);
		const none = new DeviceStorage(undefined, undefined, 'other');
		await none.request();
		expect(none.note).toMatch(/cannot keep data persistent/);
	});
});

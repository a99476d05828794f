/**
 * A probe for WebKit's storage lock (README, "What differs between the engines"): a WebKit page
 * syncs while another device's pushes arrive (posted straight to the server), and is reloaded
 * about every 1.5 s; after each reload one read over every store must answer within 5 s. It stops
 * at the first store that does not, and names the stores still locked.
 *
 *   npx vite build && node --import tsx tests/cross/lock-probe.ts [seconds, default 120]
 *
 * Not a spec (it proves nothing when it does not lock): a tool to measure how often it does.
 */
import { configureSync, openDevice, serveApp, startSyncServer, SYNC_TOKEN } from './app';

const PROBE = `
	const db = await new Promise((resolve, reject) => {
		const open = indexedDB.open('callaro-import');
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	const names = Array.from(db.objectStoreNames);
	const result = await new Promise((resolve) => {
		const t = setTimeout(() => resolve('hung'), 5000);
		const tx = db.transaction(names, 'readonly');
		tx.objectStore(names[0]).count();
		tx.oncomplete = () => { clearTimeout(t); resolve('ok'); };
		tx.onabort = () => { clearTimeout(t); resolve('aborted'); };
	});
	db.close();
	return result;
`;
const PER_STORE = `
	const db = await new Promise((resolve, reject) => {
		const open = indexedDB.open('callaro-import');
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	const out = [];
	for (const name of Array.from(db.objectStoreNames)) {
		out.push(name + ':' + await new Promise((resolve) => {
			const t = setTimeout(() => resolve('HUNG'), 1500);
			const tx = db.transaction(name, 'readonly');
			tx.objectStore(name).count();
			tx.oncomplete = () => { clearTimeout(t); resolve('ok'); };
		}));
	}
	db.close();
	return out.join(' ');
`;
const app = await serveApp();
const server = await startSyncServer();
const b = await openDevice('webkit', app.origin);
await configureSync(b.page, server.url);
let n = 0;
const push = async () => {
	const contacts = Array.from({ length: 300 }, () => {
		const i = n++;
		return {
			phone: `+1212${200 + Math.floor(i / 10000)}${String(i % 10000).padStart(4, '0')}`,
			firstName: `F${i}`,
			tags: [],
			custom: {},
			updatedAt: Date.now()
		};
	});
	const res = await fetch(`${server.url}/v1/contacts/batches`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${SYNC_TOKEN}`,
			'content-type': 'application/json',
			'idempotency-key': `b${n}`
		},
		body: JSON.stringify({ batchId: `b${n}`, importId: 'x', deviceId: 'other', contacts })
	});
	if (!res.ok) throw new Error(`push ${res.status} ${await res.text()}`);
};
const deadline = Date.now() + Number(process.argv[2] ?? 120) * 1000;
let i = 0;
while (Date.now() < deadline) {
	i++;
	await push();
	await new Promise((r) => setTimeout(r, Math.random() * 800));
	await b.page.backend.goto(app.origin + (i % 2 ? '/contacts' : '/settings'));
	const probe = await b.page.backend.run<string>(PROBE);
	if (probe !== 'ok') {
		console.log(`iteration ${i}: ${probe} after ${n} pushed`);
		console.log(await b.page.backend.run<string>(PER_STORE));
		break;
	}
}
console.log(`done: ${i} reloads`);
await b.close();
await server.stop();
await app.stop();

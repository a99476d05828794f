/**
 * `npm run measure:parse`: how fast CSV records are split, on a clean file and on the same file
 * with a quote opened at the start of every line that never closes (the worst case for a reader
 * that searches the rest of the input again after each stray quote); and how fast phone contact
 * cards (vCard, iPhone-shaped with a folded photo in every tenth card) are read. Prints M chars/s
 * for each; the first two should be of the same order. Asserts nothing about time.
 * Options: --mb N (default 100), the size of each input.
 */
import { RecordSplitter } from '../src/lib/formats/csv/record-splitter';
import { VCardSplitter } from '../src/lib/formats/vcard/vcard-splitter';

const i = process.argv.indexOf('--mb');
const mb = i >= 0 ? Number(process.argv[i + 1]) : 100;
const line = (n: number) =>
	`+1212${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')},First${n},Last${n},p${n}@example.com,Company ${n % 500},vip; list ${n % 7},America/New_York,Web`;
const lines: string[] = [];
let size = 0;
for (let n = 0; size < mb * 1e6; n++) {
	const l = line(n);
	lines.push(l);
	size += l.length + 1;
}
const clean = lines.join('\n') + '\n';
const hostile = lines.map((l) => `"${l}`).join('\n') + '\n';

const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${'/9j/4AAQSkZJRgABAQ'.repeat(4)}\r\n${` ${'A'.repeat(74)}\r\n`.repeat(40)}`;
const card = (n: number) =>
	`BEGIN:VCARD\r\nVERSION:3.0\r\nN:Last${n};First${n};;;\r\nFN:First${n} Last${n}\r\nORG:Company ${n % 500};\r\n` +
	`item1.TEL;type=pref:+1 (212) ${200 + Math.floor(n / 10_000)}-${String(n % 10_000).padStart(4, '0')}\r\n` +
	`TEL;type=CELL;type=VOICE:+1 415 555 ${String(n % 10_000).padStart(4, '0')}\r\n` +
	`EMAIL;type=INTERNET;type=pref:p${n}@example.com\r\nCATEGORIES:vip,list ${n % 7}\r\n` +
	`${n % 10 === 0 ? photo : ''}END:VCARD\r\n`;
const cards: string[] = [];
size = 0;
for (let n = 0; size < mb * 1e6; n++) {
	const c = card(n);
	cards.push(c);
	size += c.length;
}
const vcards = cards.join('');

function run(name: string, text: string, vcard = false) {
	const splitter = vcard
		? new VCardSplitter()
		: new RecordSplitter({ delimiter: ',', newline: '\n' });
	const started = performance.now();
	let records = 0;
	let setAside = 0;
	const take = (out: { error?: string }[]) => {
		records += out.length;
		for (const r of out) if (r.error) setAside++;
	};
	for (let at = 0; at < text.length; at += 1 << 20)
		take(splitter.push(text.slice(at, at + (1 << 20))));
	take(splitter.push('', true));
	const ms = performance.now() - started;
	console.log(
		`${name.padEnd(28)} ${(text.length / 1e6).toFixed(0)} M chars  ${Math.round(ms).toLocaleString('en-US')} ms  ${(text.length / 1e6 / (ms / 1000)).toFixed(1)} M chars/s  ${records.toLocaleString('en-US')} records, ${setAside.toLocaleString('en-US')} set aside`
	);
}

run('clean', clean);
run('every line opens a quote', hostile);
run('vCard contact cards', vcards, true);

/**
 * Realistic contact files for measurements: quoted cells with commas, non-ASCII names, national and
 * international phone formats, about 0.2% rows with a bad or missing phone and 0.1% with a broken
 * email address (a warning).
 */
import { createWriteStream } from 'node:fs';

/**
 * Writes `rows` contacts to `path` (streamed: a million rows never sit in memory).
 * @returns how many rows have a usable phone (what an import must end with)
 */
export async function writeContactsCsv(path, rows) {
	const first = ['Ada', 'José', 'Zoë', 'Łukasz', 'Søren', 'Mei', 'Olu', 'Ana'];
	const ascii = ['ada', 'jose', 'zoe', 'lukasz', 'soren', 'mei', 'olu', 'ana'];
	const last = ['King', 'Müller', "O'Brien", 'Nguyễn', 'Smith', 'García'];
	const out = createWriteStream(path);
	const write = (s) =>
		out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', r));
	await write('Phone,First Name,Last Name,Email,Company,Tags,Time Zone,Lead Source\n');
	let buf = '';
	let valid = 0;
	for (let i = 0; i < rows; i++) {
		const n = `${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
		let phone =
			i % 3 === 0
				? `(212) ${n.slice(0, 3)}-${n.slice(3)}`
				: i % 3 === 1
					? `+1212${n}`
					: `+1 212 ${n.slice(0, 3)} ${n.slice(3)}`;
		if (i % 997 === 0) phone = 'n/a';
		if (i % 1009 === 0) phone = '';
		if (i % 997 !== 0 && i % 1009 !== 0) valid++;
		const f = first[i % first.length];
		const l = last[i % last.length];
		// Addresses are ASCII, as almost all real ones are (José → jose); about 0.1% are broken.
		const email =
			i % 1013 === 0
				? `${ascii[i % ascii.length]}.${i}@example`
				: `${ascii[i % ascii.length]}.${i}@example.com`;
		buf += `${phone},${f},${l},${email},"Company ${i % 500}, Inc.","vip; list ${i % 7}",America/New_York,Web\n`;
		if (buf.length > 1 << 16) {
			await write(buf);
			buf = '';
		}
	}
	await write(buf);
	await new Promise((r) => out.end(r));
	return valid;
}

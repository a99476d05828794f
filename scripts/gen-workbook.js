/**
 * Writes `.xlsx` and `.ods` workbooks the way Excel and LibreOffice write them, for tests and the
 * benchmark: shared strings, numbers in exponent form, date styles, cached formula values, merged
 * cells, formatted empty cells, hidden sheets, repeated rows and columns. Each cell is described
 * by what the file stores, so a test can put exactly the XML a real export holds in front of the
 * reader.
 *
 * Cells (xlsx): a string (a shared string, or an inline one with `inline: true`), a number, or
 * an object: `{ raw: '1.4155550123E+10' }` (a number's XML text), `{ v: 45356, style: 'date' }`,
 * `{ f: 'A2&" "&B2', v: 'Ada Lovelace' }` (a formula and its cached text), `{ b: true }`,
 * `{ e: '#N/A' }`, `{ style: 'text' }` (formatted, empty), `{ rich: ['Ada', ' Lovelace'] }`.
 * Styles: `date` (built-in 14), `datetime` (`yyyy-mm-dd hh:mm`), `zeros` (`0000000000`), `text`
 * (`@`), `percent` (built-in 9).
 */
import { strToU8, zipSync } from 'fflate';

const STYLES = ['general', 'date', 'datetime', 'zeros', 'text', 'percent'];

const esc = (s) =>
	String(s).replace(
		/[&<>"]/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]
	);

function columnName(i) {
	let n = i + 1;
	let s = '';
	while (n > 0) {
		const r = (n - 1) % 26;
		s = String.fromCharCode(65 + r) + s;
		n = Math.floor((n - 1) / 26);
	}
	return s;
}

/**
 * @param {{ sheets: { name: string, rows: unknown[][], hidden?: boolean, merges?: string[], dimension?: boolean, prefix?: string }[],
 *   inline?: boolean, date1904?: boolean, macros?: boolean, externalLink?: boolean }} book
 * @returns {Uint8Array}
 */
export function xlsxFile(book) {
	const strings = [];
	const index = new Map();
	const shared = (text) => {
		let i = index.get(text);
		if (i === undefined) {
			i = strings.length;
			strings.push(text);
			index.set(text, i);
		}
		return i;
	};
	const files = {};
	book.sheets.forEach((sheet, n) => {
		const p = sheet.prefix ? `${sheet.prefix}:` : '';
		const parts = [];
		let width = 0;
		sheet.rows.forEach((row, r) => {
			if (!row) return;
			const cells = [];
			row.forEach((cell, c) => {
				if (cell === null || cell === undefined) return;
				width = Math.max(width, c + 1);
				const ref = `${columnName(c)}${r + 1}`;
				cells.push(cellXml(p, ref, cell, book.inline, shared));
			});
			parts.push(`<${p}row r="${r + 1}">${cells.join('')}</${p}row>`);
		});
		const dim =
			sheet.dimension === false
				? ''
				: `<${p}dimension ref="A1:${columnName(Math.max(0, width - 1))}${sheet.rows.length}"/>`;
		const merges = sheet.merges?.length
			? `<${p}mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<${p}mergeCell ref="${m}"/>`).join('')}</${p}mergeCells>`
			: '';
		const ns = p
			? `xmlns:${sheet.prefix}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
			: 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
		files[`xl/worksheets/sheet${n + 1}.xml`] = strToU8(
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${dim}<${p}sheetViews><${p}sheetView workbookViewId="0"/></${p}sheetViews><${p}sheetData>${parts.join('')}</${p}sheetData>${merges}</${p}worksheet>`
		);
	});
	const sheetsXml = book.sheets
		.map(
			(s, n) =>
				`<sheet name="${esc(s.name)}" sheetId="${n + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${n + 1}"/>`
		)
		.join('');
	files['xl/workbook.xml'] = strToU8(
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr${book.date1904 ? ' date1904="1"' : ''}/><sheets>${sheetsXml}</sheets></workbook>`
	);
	const rels = book.sheets.map(
		(_, n) =>
			`<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${n + 1}.xml"/>`
	);
	const k = book.sheets.length;
	rels.push(
		`<Relationship Id="rId${k + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`,
		`<Relationship Id="rId${k + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	);
	if (book.externalLink) {
		rels.push(
			`<Relationship Id="rId${k + 3}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>`
		);
		files['xl/externalLinks/externalLink1.xml'] = strToU8(
			'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></externalLink>'
		);
	}
	if (book.macros)
		files['xl/vbaProject.bin'] = strToU8('Attribute VB_Name = "Module1"\nSub AutoOpen()\nEnd Sub');
	files['xl/_rels/workbook.xml.rels'] = strToU8(
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`
	);
	files['xl/styles.xml'] = strToU8(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/><numFmt numFmtId="165" formatCode="0000000000"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" applyNumberFormat="1"/><xf numFmtId="9" fontId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
	);
	files['xl/sharedStrings.xml'] = strToU8(
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings
			.map((s) =>
				Array.isArray(s)
					? `<si>${s.map((run) => `<r><rPr><b/></rPr><t xml:space="preserve">${esc(run)}</t></r>`).join('')}<rPh sb="0" eb="1"><t>フリガナ</t></rPh></si>`
					: `<si><t xml:space="preserve">${esc(s)}</t></si>`
			)
			.join('')}</sst>`
	);
	files['[Content_Types].xml'] = strToU8(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
	);
	files['_rels/.rels'] = strToU8(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
	);
	return zipSync(files, { level: 6 });
}

function cellXml(p, ref, cell, inline, shared) {
	if (typeof cell === 'string') {
		return inline
			? `<${p}c r="${ref}" t="inlineStr"><${p}is><${p}t>${esc(cell)}</${p}t></${p}is></${p}c>`
			: `<${p}c r="${ref}" t="s"><${p}v>${shared(cell)}</${p}v></${p}c>`;
	}
	if (typeof cell === 'number') return `<${p}c r="${ref}"><${p}v>${cell}</${p}v></${p}c>`;
	const s = cell.style ? ` s="${STYLES.indexOf(cell.style)}"` : '';
	if (cell.rich) return `<${p}c r="${ref}"${s} t="s"><${p}v>${shared(cell.rich)}</${p}v></${p}c>`;
	if (cell.raw !== undefined) return `<${p}c r="${ref}"${s}><${p}v>${cell.raw}</${p}v></${p}c>`;
	if (cell.f !== undefined) {
		const t = typeof cell.v === 'string' ? ' t="str"' : '';
		return `<${p}c r="${ref}"${s}${t}><${p}f>${esc(cell.f)}</${p}f><${p}v>${esc(cell.v)}</${p}v></${p}c>`;
	}
	if (cell.b !== undefined)
		return `<${p}c r="${ref}"${s} t="b"><${p}v>${cell.b ? 1 : 0}</${p}v></${p}c>`;
	if (cell.e !== undefined)
		return `<${p}c r="${ref}"${s} t="e"><${p}v>${esc(cell.e)}</${p}v></${p}c>`;
	if (cell.v !== undefined) return `<${p}c r="${ref}"${s}><${p}v>${cell.v}</${p}v></${p}c>`;
	return `<${p}c r="${ref}"${s}/>`;
}

/**
 * An OpenDocument spreadsheet. Cells: a string, a number (a float shown as its digits), or an
 * object: `{ float: '415', shown: '0415' }`, `{ date: '2024-03-05' }`, `{ time: 'PT14H30M00S' }`,
 * `{ bool: true }`, `{ percent: '0.25', shown: '25%' }`, `{ text: 'Hi', repeat: 3 }`,
 * `{ covered: true }`, `{ text: 'x', note: 'a comment' }`, `{ lines: ['a', 'b'] }`. A row may be
 * `{ repeat: n, cells: [...] }`; `emptyTail` adds the million empty rows LibreOffice writes.
 *
 * @param {{ sheets: { name: string, rows: unknown[], emptyTail?: boolean }[], macros?: boolean }} book
 * @returns {Uint8Array}
 */
export function odsFile(book) {
	const tables = book.sheets
		.map((sheet) => {
			const rows = sheet.rows.map((row) => {
				const spec = Array.isArray(row) ? { repeat: 1, cells: row } : row;
				const rep = spec.repeat > 1 ? ` table:number-rows-repeated="${spec.repeat}"` : '';
				return `<table:table-row${rep}>${spec.cells.map(odsCell).join('')}<table:table-cell table:number-columns-repeated="1017"/></table:table-row>`;
			});
			if (sheet.emptyTail) {
				rows.push(
					'<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
				);
			}
			return `<table:table table:name="${esc(sheet.name)}"><table:table-column table:number-columns-repeated="1024"/>${rows.join('')}</table:table>`;
		})
		.join('');
	const content = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
	const files = {
		mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
		'content.xml': strToU8(content),
		'META-INF/manifest.xml': strToU8(
			'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
		)
	};
	if (book.macros)
		files['Basic/Standard/Module1.xml'] = strToU8('<module>Sub Main\nEnd Sub</module>');
	return zipSync(files, { level: 6 });
}

function odsCell(cell) {
	if (cell === null || cell === undefined) return '<table:table-cell/>';
	if (typeof cell === 'string') {
		return `<table:table-cell office:value-type="string"><text:p>${esc(cell)}</text:p></table:table-cell>`;
	}
	if (typeof cell === 'number') {
		return `<table:table-cell office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`;
	}
	if (cell.covered) return '<table:covered-table-cell/>';
	if (cell.float !== undefined) {
		return `<table:table-cell office:value-type="float" office:value="${cell.float}"><text:p>${esc(cell.shown ?? cell.float)}</text:p></table:table-cell>`;
	}
	if (cell.percent !== undefined) {
		return `<table:table-cell office:value-type="percentage" office:value="${cell.percent}"><text:p>${esc(cell.shown)}</text:p></table:table-cell>`;
	}
	if (cell.date !== undefined) {
		return `<table:table-cell office:value-type="date" office:date-value="${cell.date}"><text:p>${esc(cell.shown ?? cell.date)}</text:p></table:table-cell>`;
	}
	if (cell.time !== undefined) {
		return `<table:table-cell office:value-type="time" office:time-value="${cell.time}"><text:p>${esc(cell.shown ?? cell.time)}</text:p></table:table-cell>`;
	}
	if (cell.bool !== undefined) {
		return `<table:table-cell office:value-type="boolean" office:boolean-value="${cell.bool}"><text:p>${cell.bool ? 'TRUE' : 'FALSE'}</text:p></table:table-cell>`;
	}
	if (cell.lines) {
		return `<table:table-cell office:value-type="string">${cell.lines.map((l) => `<text:p>${esc(l)}</text:p>`).join('')}</table:table-cell>`;
	}
	const rep = cell.repeat > 1 ? ` table:number-columns-repeated="${cell.repeat}"` : '';
	const span = cell.span > 1 ? ` table:number-columns-spanned="${cell.span}"` : '';
	const note = cell.note
		? `<office:annotation><dc:creator>Ana</dc:creator><text:p>${esc(cell.note)}</text:p></office:annotation>`
		: '';
	return `<table:table-cell office:value-type="string"${rep}${span}>${note}<text:p>${esc(cell.text)}</text:p></table:table-cell>`;
}

/**
 * The rows of a CSV file (with a header row) as an `.xlsx` of one sheet named `Contacts`, the way
 * a person who opened the CSV in Excel and saved it gets it: text in the shared strings, and
 * phones written as digits (`+12125550123`) stored as the number Excel makes of them.
 * @param {string[][]} rows
 * @returns {Uint8Array}
 */
export function xlsxFromRows(rows) {
	const cells = rows.map((row, r) =>
		row.map((cell) =>
			r > 0 && /^\d{6,15}$/.test(cell) ? { raw: cell } : cell === '' ? null : cell
		)
	);
	return xlsxFile({ sheets: [{ name: 'Contacts', rows: cells }] });
}

/**
 * Rewrites the size a ZIP's central directory declares for one entry (in place), as a zip bomb
 * does: the entry then inflates far past what it declares.
 * @param {Uint8Array} zip
 * @param {string} name
 * @param {number} size
 * @returns {Uint8Array}
 */
export function declareSize(zip, name, size) {
	const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
	for (let i = zip.length - 22; i >= 0; i--) {
		if (view.getUint32(i, true) !== 0x02014b50) continue;
		const length = view.getUint16(i + 28, true);
		if (new TextDecoder().decode(zip.subarray(i + 46, i + 46 + length)) === name) {
			view.setUint32(i + 24, size, true);
		}
	}
	return zip;
}

import { describe, expect, it } from 'vitest';
import { parseStyles, parseWorkbook, parseWorksheetTargets } from './workbook-parts';

describe('workbook parts', () => {
	it('lists sheets with their relationship ids and state, and the date system', () => {
		const wb = parseWorkbook(
			'<workbook xmlns:r="urn:r"><workbookPr date1904="1"/><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId1"/><sheet name="Hidden" sheetId="2" state="veryHidden" r:id="rId2"/></sheets></workbook>'
		);
		expect(wb).toEqual({
			date1904: true,
			sheets: [
				{ name: 'A & B', rid: 'rId1', hidden: false },
				{ name: 'Hidden', rid: 'rId2', hidden: true }
			]
		});
	});

	it('resolves worksheet targets, and leaves out charts and external targets', () => {
		const t = parseWorksheetTargets(
			'<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://x/worksheet" Target="/xl/worksheets/../worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://x/chartsheet" Target="chartsheets/c.xml"/><Relationship Id="rId4" Type="http://x/worksheet" Target="http://evil/x.xml" TargetMode="External"/></Relationships>',
			'xl/'
		);
		expect([...t]).toEqual([
			['rId1', 'xl/worksheets/sheet1.xml'],
			['rId2', 'xl/worksheets/sheet2.xml']
		]);
	});

	it("reads each style's number format", () => {
		const f = parseStyles(
			'<styleSheet><numFmts><numFmt numFmtId="164" formatCode="00000"/><numFmt numFmtId="165" formatCode="[&gt;100]0;0"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="165"/></cellXfs></styleSheet>'
		);
		expect(f.map((x) => x.kind)).toEqual(['general', 'zeros', 'date', 'general']);
	});
});

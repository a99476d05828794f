/**
 * `npm test` runs this first: one line per missing browser, before the unit tests spend minutes.
 * Exits 1 when an engine to test has no browser.
 */
import { enginesToTest, findBrowser } from './browsers';

const missing = enginesToTest()
	.map(findBrowser)
	.filter((f) => f.missing);
for (const f of missing) console.error(f.missing);
if (missing.length > 0) process.exit(1);

/**
 * No import cycles: neither between files nor between folders (`src/lib/<folder>`, `src/routes`,
 * `server`). A folder cycle means two layers each need the other, so neither can be read, tested
 * or moved to another thread alone. Specs may reach across folders and are left out; everything
 * they import is in.
 *
 * Usage: node --import tsx scripts/check-cycles.ts [--print] (exit 1 on a cycle; --print shows the
 * folder graph).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ROOTS = ['src', 'server'];
const EXTENSIONS = ['', '.ts', '.js', '.svelte', '.svelte.ts', '/index.ts', '/index.js'];
const IMPORT =
	/(?:^|[;\s])(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function walk(dir: string, out: string[]): string[] {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) walk(path, out);
		else if (/\.(ts|js|svelte)$/.test(name) && !/\.spec\.ts$|\.d\.ts$/.test(name)) out.push(path);
	}
	return out;
}

function resolveImport(from: string, spec: string): string | undefined {
	const bare = spec.replace(/\?.*$/, '');
	let base: string;
	if (bare.startsWith('$lib/') || bare === '$lib') base = join(ROOT, 'src/lib', bare.slice(4));
	else if (bare.startsWith('.')) base = resolve(dirname(from), bare);
	else return undefined; // a package: not part of the graph
	for (const ext of EXTENSIONS) {
		const path = base + ext;
		if (existsSync(path) && statSync(path).isFile()) return path;
	}
	return undefined;
}

/** The layer a file belongs to: its folder under src/lib, or src/routes, or server. */
export function folderOf(path: string): string {
	const rel = relative(ROOT, path).split('/');
	if (rel[0] === 'src' && rel[1] === 'lib') return rel.length > 3 ? rel[2] : 'lib';
	if (rel[0] === 'src') return rel.length > 2 ? `src/${rel[1]}` : 'src';
	return rel[0];
}

/** Strongly connected components of more than one node (or a node on itself): the cycles. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
	let next = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const on = new Set<string>();
	const found: string[][] = [];
	const visit = (v: string) => {
		index.set(v, next);
		low.set(v, next++);
		stack.push(v);
		on.add(v);
		for (const w of graph.get(v) ?? []) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) === index.get(v)) {
			const scc: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				on.delete(w);
				scc.push(w);
			} while (w !== v);
			if (scc.length > 1 || graph.get(v)?.has(v)) found.push(scc.sort());
		}
	};
	for (const v of graph.keys()) if (!index.has(v)) visit(v);
	return found;
}

function main() {
	const files = ROOTS.flatMap((r) => walk(join(ROOT, r), []));
	const fileGraph = new Map<string, Set<string>>();
	const folderGraph = new Map<string, Set<string>>();
	const via = new Map<string, string>();
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		const deps = new Set<string>();
		for (const m of text.matchAll(IMPORT)) {
			const target = resolveImport(file, m[1] ?? m[2] ?? m[3]);
			if (target && !/\.spec\.ts$/.test(target)) deps.add(target);
		}
		fileGraph.set(file, deps);
		const from = folderOf(file);
		const edges = folderGraph.get(from) ?? new Set<string>();
		folderGraph.set(from, edges);
		for (const d of deps) {
			const to = folderOf(d);
			if (to === from) continue;
			edges.add(to);
			if (!via.has(`${from}>${to}`))
				via.set(`${from}>${to}`, `${relative(ROOT, file)} → ${relative(ROOT, d)}`);
		}
	}
	if (process.argv.includes('--print'))
		for (const [from, to] of [...folderGraph].sort())
			console.log(`${from} → ${[...to].sort().join(', ') || '(nothing)'}`);
	const fileCycles = cycles(fileGraph);
	const folderCycles = cycles(folderGraph);
	for (const c of fileCycles)
		console.error(`file cycle: ${c.map((f) => relative(ROOT, f)).join(' ⇄ ')}`);
	for (const c of folderCycles) {
		const edges = c.flatMap((a) =>
			c.filter((b) => via.has(`${a}>${b}`)).map((b) => via.get(`${a}>${b}`)!)
		);
		console.error(`folder cycle: ${c.join(' ⇄ ')}\n  ${edges.join('\n  ')}`);
	}
	if (fileCycles.length + folderCycles.length > 0) process.exit(1);
	console.log(`No import cycles among ${files.length} files in ${folderGraph.size} folders.`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();

#!/usr/bin/env node
/**
 * A small static server for the built app (`build/`), as any static host would serve it:
 * files by path, and the SPA fallback (index.html) for every route that is not a file.
 * Usage: node scripts/serve.js [--port 4173] [--dir build] [--mount /bench/=build-bench]
 * (PORT and HOST env also work; port 0 takes a free one; --mount serves another directory under a
 * path prefix, as the benchmark serves its own page beside the app on one origin)
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : fallback;
};
const root = resolve(arg('dir', 'build'));
const mountArg = arg('mount', null);
const mount = mountArg
	? {
			prefix: mountArg.slice(0, mountArg.indexOf('=')),
			root: resolve(mountArg.slice(mountArg.indexOf('=') + 1))
		}
	: null;
const port = Number(arg('port', process.env.PORT ?? 4173));
const host = process.env.HOST ?? '127.0.0.1';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.csv': 'text/csv; charset=utf-8',
	'.wasm': 'application/wasm'
};

/** The file for a decoded path inside `root`, or null (not a file, or outside the root). */
function fileAt(pathname, base = root) {
	const path = normalize(join(base, pathname));
	if (path !== base && !path.startsWith(base + sep)) return null;
	try {
		const stat = statSync(path);
		if (stat.isFile()) return path;
		if (stat.isDirectory()) return fileAt(join(pathname, 'index.html'), base);
	} catch {
		/* not a file: fall back */
	}
	return null;
}

const server = createServer((req, res) => {
	let pathname;
	try {
		// A malformed URL or percent-escape (`/%E0%A4%A`) is the client's error: a 400, never a
		// crash of the server (which under `npm start` also serves sync).
		pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
	} catch {
		res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request');
		return;
	}
	const mounted = mount && pathname.startsWith(mount.prefix);
	const file = mounted
		? fileAt(pathname.slice(mount.prefix.length), mount.root)
		: (fileAt(pathname) ?? join(root, 'index.html'));
	if (!file) {
		res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
		return;
	}
	const immutable = pathname.startsWith('/_app/immutable/');
	res.writeHead(200, {
		'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
		'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'no-referrer',
		'X-Frame-Options': 'DENY'
	});
	if (req.method === 'HEAD') return res.end();
	createReadStream(file)
		.on('error', () => res.destroy())
		.pipe(res);
});

// The printed port is the bound one, so that `--port 0` (a port the OS picks) can be read back
// (scripts/harness.js does).
server.listen(port, host, () => {
	const { port: bound } = server.address();
	console.log(`Callaro Import is running at http://localhost:${bound} (serving ${root})`);
});

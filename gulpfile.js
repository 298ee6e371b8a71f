const path = require('node:path');
const { task, src, dest } = require('gulp');

// tsc compiles the TypeScript; the icons it does not see are copied next to the compiled files.
// `npm run build` (n8n-node build) copies them itself; this task copies only the nodes' and the
// credentials' icons into dist/, without compiling: `npx gulp build:icons` after changing an icon.
task('build:icons', copyIcons);

function copyIcons() {
	const nodeSource = path.resolve('nodes', '**', '*.{png,svg}');
	const nodeDestination = path.resolve('dist', 'nodes');
	src(nodeSource, { encoding: false }).pipe(dest(nodeDestination));

	const credSource = path.resolve('credentials', '**', '*.{png,svg}');
	const credDestination = path.resolve('dist', 'credentials');
	return src(credSource, { encoding: false }).pipe(dest(credDestination));
}

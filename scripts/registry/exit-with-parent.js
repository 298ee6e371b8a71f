// @ts-check
'use strict';
// Preloaded into Verdaccio (`node --require exit-with-parent.js`): ends the registry when the
// process that started it is gone, so a test killed with SIGKILL or crashed leaves no registry
// running. The parent's pid comes in HYPERSENDER_REGISTRY_PARENT_PID.
const parent = Number(process.env.HYPERSENDER_REGISTRY_PARENT_PID);
if (Number.isInteger(parent) && parent > 1) {
	setInterval(() => {
		try {
			process.kill(parent, 0);
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ESRCH') process.exit(0);
		}
	}, 1000).unref();
}

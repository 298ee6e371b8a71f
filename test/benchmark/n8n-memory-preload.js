// @ts-check
'use strict';
// Loaded into the benchmark's `n8n execute` processes with NODE_OPTIONS=--require <this file>.
// When the n8n process exits it writes its peak RSS (the kernel's VmHWM, same as maxRSS) and
// its sampled peak V8 heap (and a clock reference, to place a --cpu-prof profile's samples in the
// run data's time) to $HYPERSENDER_BENCH_MEM_DIR/<pid>.json, so run.js can report the
// memory of the real n8n without having to know the pid runtime.js spawned. Other Node
// processes that inherit NODE_OPTIONS (none are expected) only record themselves as well.
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const dir = process.env.HYPERSENDER_BENCH_MEM_DIR;

if (dir) {
	let peakHeap = 0;
	const sample = () => {
		const used = v8.getHeapStatistics().used_heap_size;
		if (used > peakHeap) peakHeap = used;
	};
	const timer = setInterval(sample, 10);
	timer.unref();
	process.on('exit', () => {
		sample();
		let vmHwm = null;
		try {
			const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
			if (match) vmHwm = Number(match[1]) * 1024;
		} catch {
			// not Linux: maxRSS below still says it
		}
		try {
			fs.writeFileSync(
				path.join(dir, `${process.pid}.json`),
				JSON.stringify({
					pid: process.pid,
					argv: process.argv.slice(1),
					maxRss: process.resourceUsage().maxRSS * 1024,
					vmHwm,
					peakHeap,
					// The same instant on both clocks: run data times are epoch ms, a .cpuprofile's
					// timestamps are monotonic µs (CLOCK_MONOTONIC, like process.hrtime).
					clock: { epochMs: Date.now(), monotonicUs: Number(process.hrtime.bigint() / 1000n) },
				}),
			);
		} catch {
			// the benchmark reports "n/a" for this process
		}
	});
}

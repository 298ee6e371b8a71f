// @ts-check
'use strict';
// What the pinned installs into .n8n-runtime share (n8n: ./install.js, Verdaccio:
// ../registry/install.js): the stamp an install is reused by (the hash of the pinned package.json
// + package-lock.json, kept in a JSON file next to the install) and a cross-process lock, so two
// processes (`npm start`, test runs) never install into the same folder at once.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { log } = require('../toolchain');

/**
 * The sha256 of `<dir>/package.json`, a NUL byte and `<dir>/package-lock.json`: what an install from that folder is.
 * @param {string} dir
 * @returns {string}
 */
function lockHash(dir) {
	const pkg = fs.readFileSync(path.join(dir, 'package.json'));
	const lock = fs.readFileSync(path.join(dir, 'package-lock.json'));
	return crypto.createHash('sha256').update(Buffer.concat([pkg, Buffer.from('\0'), lock])).digest('hex');
}

/**
 * The stamp an install wrote last, or undefined (none, or unreadable).
 * @param {string} file
 * @returns {any}
 */
function readStamp(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * Marks an install as done: `stamp` with the time and its duration. Written last, so an
 * interrupted install is redone.
 * @param {string} file
 * @param {object} stamp
 * @param {number} seconds
 */
function writeStamp(file, stamp, seconds) {
	fs.writeFileSync(file, JSON.stringify({ ...stamp, installedAt: new Date().toISOString(), seconds }, null, 2));
}

/** @param {number} pid */
function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * A cross-process lock: the directory `lockDir` holding the owner's pid (its parent is made when
 * missing); a lock left by a dead process is taken over. While another process holds it, says
 * once "Another process (pid N) is <doing>; waiting for it..." and retries every second.
 * @template T
 * @param {string} lockDir
 * @param {string} doing e.g. `installing n8n into .n8n-runtime`
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withInstallLock(lockDir, doing, fn) {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				owner = undefined;
			}
			if (owner && !pidAlive(owner)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`Another process (pid ${owner ?? '?'}) is ${doing}; waiting for it...`);
				announced = true;
			}
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

module.exports = { lockHash, readStamp, writeStamp, pidAlive, withInstallLock };

// @ts-check
'use strict';
// What the steps expect of the node in the editor.
const { NODE_DISPLAY_NAME, NODE_TYPE } = require('../../../scripts/fixtures');

/** The action the test adds (Contact › Get Many). */
const ACTION_NAME = 'Get many contacts';
/** Every Contact action the nodes panel must list for the node. */
const CONTACT_ACTIONS = [ACTION_NAME, 'Get a contact', 'Create or update a contact', 'Get the profile picture of a contact'];
/** Get Many's default Limit, and so the number of rows the run shows. */
const DEFAULT_LIMIT = 50;
/** The options the Options collection must offer, and their parameter names. */
const OPTIONS_REQUIRED = ['Offset', 'Sort By', 'Sort Order', 'Instance ID'];
/** @type {Record<string, string>} */
const OPTION_PARAMS = { Offset: 'offset', 'Sort By': 'sortBy', 'Sort Order': 'sortOrder', 'Instance ID': 'instanceId' };
const WRONG_TOKEN = 'wrong-token-browser-test';

module.exports = {
	NODE_TYPE,
	NODE_DISPLAY_NAME,
	ACTION_NAME,
	CONTACT_ACTIONS,
	DEFAULT_LIMIT,
	OPTIONS_REQUIRED,
	OPTION_PARAMS,
	WRONG_TOKEN,
};

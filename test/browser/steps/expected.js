// @ts-check
'use strict';
// What the steps expect of the node in the editor.
const path = require('node:path');
const { CREDENTIAL_TYPE, NODE_DISPLAY_NAME, NODE_TYPE } = require('../../../scripts/fixtures');

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

/** Step 9's example workflow, the node whose output it checks, and how many items that node gives. */
const EXAMPLE_FILE = path.join(__dirname, '..', '..', '..', 'examples', 'enrich-contacts.json');
const EXAMPLE_OUTPUT_NODE = 'Contact card';
const EXAMPLE_ITEMS = 10;
/** The contacts the example keeps: phone numbers with a saved name. @param {{ id: string, name?: string }} contact */
const isNamedPhoneContact = (contact) => /@(c\.us|s\.whatsapp\.net)$/.test(contact.id) && !!contact.name;

module.exports = {
	NODE_TYPE,
	NODE_DISPLAY_NAME,
	CREDENTIAL_TYPE,
	ACTION_NAME,
	CONTACT_ACTIONS,
	DEFAULT_LIMIT,
	OPTIONS_REQUIRED,
	OPTION_PARAMS,
	WRONG_TOKEN,
	EXAMPLE_FILE,
	EXAMPLE_OUTPUT_NODE,
	EXAMPLE_ITEMS,
	isNamedPhoneContact,
};

const test = require('node:test');
const assert = require('node:assert');
const { slug } = require('../slug.js');

test('lowercases and joins words', () => assert.strictEqual(slug('Hello World'), 'hello-world'));
test('drops punctuation at the ends', () => assert.strictEqual(slug('  Ready? Go! '), 'ready-go'));

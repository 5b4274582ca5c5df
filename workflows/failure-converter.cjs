// The failure converter of every worker, client and the workflow bundle (src/adapters/temporal/data-converter.ts).
// A failure's message and stack trace are plain text in Temporal's history; they can quote what a customer said or
// the number a message went to. With encodeCommonAttributes they travel as an encoded payload instead, which the
// payload codec encrypts like any other. CommonJS because the SDK require()s this path outside the bundle too.
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

// graphql-codegen loader: the composed supergraph carries the gateway's join directives; clients see its API schema,
// the one the gateway serves (federation's own function derives it, so hidden and internal parts never leak in).
const fs = require('node:fs');
const { Supergraph } = require('@apollo/federation-internals');

module.exports = (pointer) => Supergraph.build(fs.readFileSync(pointer, 'utf8')).apiSchema().toGraphQLJSSchema();

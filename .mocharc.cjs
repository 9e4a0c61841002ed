// Mocha adds a config's `spec` to the files named on the command line, so `npm test -- a.test.ts`
// would run the whole suite. The suite's glob applies only when no test file is named.
const namesFiles = process.argv.slice(2).some((arg) => /\.(test|e2e)\.ts$/.test(arg) || /^test[\\/]/.test(arg));

module.exports = {
  require: ["test/support/rootHooks.ts"],
  spec: namesFiles ? [] : ["test/**/*.test.ts"],
  timeout: 20000,
  exit: true,
  "node-option": ["import=tsx"],
};

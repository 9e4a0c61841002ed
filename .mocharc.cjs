// Mocha adds a config's `spec` to the files named on the command line, so `npm test -- a.test.ts`
// would run the whole suite. The suite's glob applies only when no test file is named.
const namesFiles = process.argv.slice(2).some((arg) => /\.(test|e2e)\.ts$/.test(arg) || /^test[\\/]/.test(arg));

// The whole suite runs its files on two workers (this machine's cores); each worker's files get
// their own Cosmos server and strict double from the root hook, so files stay isolated. One
// named file runs in this process, where a debugger and `.only` work as usual.
module.exports = {
  require: ["test/support/rootHooks.ts"],
  spec: namesFiles ? [] : ["test/**/*.test.ts"],
  parallel: !namesFiles,
  jobs: 2,
  // A guard against a test that hangs, not a measure of speed: a busy machine (another npm test
  // beside this one) makes a test that takes 2 s quietly take 20 s.
  timeout: 60000,
  exit: true,
  "node-option": ["import=tsx"],
};

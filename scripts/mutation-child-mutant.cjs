// Mocha root hook for Stryker's runs (stryker.config.json, mochaOptions.require). Stryker's mocha
// runner turns a mutant on through a global of the test process only, so a test that starts the
// product as a child process (the CLI's tests, the sidecar's) would always run the unmutated code
// and every mutant would survive. The instrumented code also reads the mutant's id from this
// environment variable, which children inherit: copy the global into it before each test.
const ENV = '__STRYKER_ACTIVE_MUTANT__';

exports.mochaHooks = {
  beforeEach() {
    const active = globalThis.__stryker__?.activeMutant;
    if (active === undefined) delete process.env[ENV];
    else process.env[ENV] = String(active);
  },
};

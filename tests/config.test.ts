import { ConfigError, DEFAULT_DATES, DEFAULT_SECURITY, loadConfig } from "../src/config";

// The environment is read once, at start, and a bad value stops the process with a message that
// names the variable (index.ts prints it): never a setting half-understood.

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, false],
    ["off", false],
    ["0", false],
    ["2", 2],
    ["loopback", ["loopback"]],
    [" loopback, 10.0.0.0/8 ,2001:db8::/32", ["loopback", "10.0.0.0/8", "2001:db8::/32"]],
  ])("reads %j as %j", (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).security.trustProxy).toEqual(expected);
  });

  it.each(["true", "abc", "::::", "1.2.3.4/99", "loopback,nowhere", ","])("refuses %j, naming the variable", (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY must be/);
  });
});

describe("caps and horizons", () => {
  it("default to the documented values", () => {
    const config = loadConfig({});
    expect(config.security.subscriptions).toEqual(DEFAULT_SECURITY.subscriptions);
    expect(config.security.subscriptions).toEqual({ perSocket: 100, perClient: 200, socketsPerClient: 20 });
    expect(config.dates).toEqual(DEFAULT_DATES);
    expect(config.dates.plannedHorizonYears).toBe(100);
    expect(config.security.maxCost).toBe(50_000);
    expect(config.security.rateLimit.points).toBe(100_000);
  });

  it("take the variables", () => {
    const config = loadConfig({ MAX_SUBSCRIPTIONS_PER_SOCKET: "5", MAX_SUBSCRIPTIONS_PER_CLIENT: "7", MAX_SOCKETS_PER_CLIENT: "3", PLANNED_HORIZON_YEARS: "10" });
    expect(config.security.subscriptions).toEqual({ perSocket: 5, perClient: 7, socketsPerClient: 3 });
    expect(config.dates.plannedHorizonYears).toBe(10);
  });

  it.each([
    [{ MAX_SUBSCRIPTIONS_PER_SOCKET: "0" }, /MAX_SUBSCRIPTIONS_PER_SOCKET must be an integer from 1/],
    [{ MAX_SUBSCRIPTIONS_PER_CLIENT: "lots" }, /MAX_SUBSCRIPTIONS_PER_CLIENT must be an integer/],
    [{ MAX_SOCKETS_PER_CLIENT: "-3" }, /MAX_SOCKETS_PER_CLIENT must be an integer/],
    [{ PLANNED_HORIZON_YEARS: "1.5" }, /PLANNED_HORIZON_YEARS must be an integer from 0 to 1000/],
  ])("refuses %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

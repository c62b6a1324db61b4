import { Auth } from "../src/common/auth";
import { RateLimiter, clientKey } from "../src/security/rate-limit";

describe("RateLimiter", () => {
  let now = 0;
  const limiter = () => new RateLimiter(100, 60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it("lets a client spend its points, then says how long to wait", () => {
    const rate = limiter();
    expect(rate.spend("a", 60)).toBe(0);
    expect(rate.spend("a", 40)).toBe(0);
    // 30 points come back in 18 s at 100 points a minute.
    expect(rate.spend("a", 30)).toBe(18);
  });

  it("refills continuously, up to the capacity", () => {
    const rate = limiter();
    expect(rate.spend("a", 100)).toBe(0);
    now += 30_000;
    expect(rate.spend("a", 50)).toBe(0);
    expect(rate.spend("a", 1)).toBeGreaterThan(0);
    now += 10 * 60_000;
    expect(rate.spend("a", 100)).toBe(0);
    expect(rate.spend("a", 1)).toBeGreaterThan(0);
  });

  it("keeps clients apart", () => {
    const rate = limiter();
    expect(rate.spend("a", 100)).toBe(0);
    expect(rate.spend("b", 100)).toBe(0);
  });

  it("refuses an operation that costs more than the whole capacity, with the full window to wait", () => {
    expect(limiter().spend("a", 101)).toBe(60);
  });

  it("counts a token that authenticates together wherever it comes from, however spelt, and anything else by its address", () => {
    const token = "a-token-of-sixteen-chars";
    const auth = (header: string | undefined) => Auth.fromHeader(header, token);
    expect(clientKey(auth(`Bearer ${token}`), "1.2.3.4")).toBe(clientKey(auth(`Bearer ${token}`), "5.6.7.8"));
    expect(clientKey(auth(`bearer  ${token}  `), "1.2.3.4")).toBe(clientKey(auth(`Bearer ${token}`), "5.6.7.8"));
    expect(clientKey(auth(`Bearer ${token}`), "1.2.3.4")).not.toContain(token);
    expect(clientKey(auth(undefined), "1.2.3.4")).not.toBe(clientKey(auth(undefined), "5.6.7.8"));
    // A made-up token earns no bucket of its own.
    expect(clientKey(auth("Bearer made-up"), "1.2.3.4")).toBe(clientKey(auth(undefined), "1.2.3.4"));
    expect(clientKey(auth("Bearer other"), "1.2.3.4")).toBe(clientKey(auth("Bearer made-up"), "1.2.3.4"));
  });
});

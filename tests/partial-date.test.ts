import { formatPartialDate, parsePartialDate, periodOf } from "../src/common/partial-date";

const iso = (date: Date) => date.toISOString();

describe("parsePartialDate", () => {
  it.each([
    ["2024", "YEAR", "2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"],
    ["2024-12", "MONTH", "2024-12-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"],
    ["2024-02", "MONTH", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"],
    ["2024-02-29", "DAY", "2024-02-29T00:00:00.000Z", "2024-03-01T00:00:00.000Z"],
    ["2023-12-31", "DAY", "2023-12-31T00:00:00.000Z", "2024-01-01T00:00:00.000Z"],
    ["2024-01-17T10:30:00Z", "TIME", "2024-01-17T10:30:00.000Z", "2024-01-17T10:30:00.001Z"],
    ["2024-01-17T10:30Z", "TIME", "2024-01-17T10:30:00.000Z", "2024-01-17T10:30:00.001Z"],
    ["2024-01-17T05:00:00+05:00", "TIME", "2024-01-17T00:00:00.000Z", "2024-01-17T00:00:00.001Z"],
    ["2024-01-01T01:00:00.123456-02:30", "TIME", "2024-01-01T03:30:00.123Z", "2024-01-01T03:30:00.124Z"],
    ["0099", "YEAR", "0099-01-01T00:00:00.000Z", "0100-01-01T00:00:00.000Z"],
  ])("reads %s as a %s period", (input, precision, start, end) => {
    const date = parsePartialDate(input);
    expect(date.precision).toBe(precision);
    expect(iso(date.start)).toBe(start);
    expect(iso(date.end)).toBe(end);
  });

  it.each([
    "2023-02-29",
    "2024-02-30",
    "2024-04-31",
    "2024-13",
    "2024-00",
    "2024-01-00",
    "2024-1-5",
    "24",
    "2024/01/17",
    "2024-01-17T10:00:00",
    "2024-01-17T24:00:00Z",
    "2024-01-17T10:60:00Z",
    "2024-01-17T10:00:00+15:00",
    "0000",
    "yesterday",
    "",
    "2024-01-17\u0000",
  ])("refuses %j with BAD_USER_INPUT", (input) => {
    expect(() => parsePartialDate(input)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
  });

  it("refuses values that are not strings", () => {
    for (const value of [2024, null, undefined, {}, ["2024"]]) {
      expect(() => parsePartialDate(value)).toThrow(/must be a string/);
    }
  });

  it("names the field in its message", () => {
    expect(() => parsePartialDate("2024-13", "filter.from")).toThrow(/^filter\.from: "2024-13"/);
  });
});

describe("formatPartialDate and periodOf", () => {
  it.each(["2024", "2024-01", "2024-01-17", "2024-01-17T10:30:00.000Z"])("round-trips %s", (input) => {
    const date = parsePartialDate(input);
    expect(formatPartialDate(date)).toBe(input);
    const again = periodOf(date.start, date.precision);
    expect(iso(again.end)).toBe(iso(date.end));
  });
});

import { decodeCursor, encodeCursor } from "../src/common/cursor";

describe("cursors", () => {
  it("round-trip their key", () => {
    expect(decodeCursor(encodeCursor([1705449600000, 42]), "ti")).toEqual([1705449600000, 42]);
    expect(decodeCursor(encodeCursor([2, "jaish al-adl", 7]), "isi")).toEqual([2, "jaish al-adl", 7]);
  });

  it("are URL-safe and opaque", () => {
    expect(encodeCursor([1, "a/b+c?", 2])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ["", "empty"],
    ["not a cursor!", "not base64url"],
    [Buffer.from("[1,2]").toString("base64url"), "no version prefix"],
    [Buffer.from("c1:{bad json").toString("base64url"), "broken JSON"],
    [encodeCursor([1]), "too short for its shape"],
    [encodeCursor(["1", 2]), "a string where a number belongs"],
    [encodeCursor([1.5, 2]), "a fraction where an integer belongs"],
    [encodeCursor([1, 2, 3]), "from another list's shape"],
    ["A".repeat(600), "too long"],
    [encodeCursor([9e15, 1]), "an instant past year 9999"],
    [encodeCursor([-8e15, 1]), "an instant before year 1"],
    [encodeCursor([1705449600000, 2147483648]), "an id past int4"],
  ])("refuse %j (%s) with BAD_USER_INPUT naming the argument", (cursor) => {
    expect(() => decodeCursor(cursor, "ti", "after")).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^after: /), extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
    );
  });
});

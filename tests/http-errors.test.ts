import { json } from "./support/http";
import { startTestApp, type TestApp } from "./support/test-app";

// Routes other than GraphQL answer errors in one shape: {"error": {"code", "message", "requestId"}},
// the request id the one the x-request-id header carries.

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

async function expectError(response: Response, status: number, code: string, message: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await json(response);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error).toEqual({ code, message: expect.stringMatching(message), requestId: response.headers.get("x-request-id") });
}

it("answers a path nothing serves with NOT_FOUND", async () => {
  await expectError(await fetch(`${base}/nothing/here`), 404, "NOT_FOUND", /^Nothing at GET \/nothing\/here$/);
  await expectError(await fetch(`${base}/export/events.xml`), 404, "NOT_FOUND", /events\.xml/);
});

it("answers a bad export parameter with BAD_USER_INPUT, before anything is streamed", async () => {
  await expectError(await fetch(`${base}/export/events.csv?from=yesterday`), 400, "BAD_USER_INPUT", /yesterday/);
  await expectError(await fetch(`${base}/export/timeline.json?colour=red`), 400, "BAD_USER_INPUT", /unknown parameter "colour"/);
});

it("keeps GraphQL's own shape at /graphql, with a code from the same list", async () => {
  const response = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
  expect(response.status).toBe(400);
  const body = await json(response);
  expect(body).toEqual({ errors: [{ message: "Request body is not valid JSON", extensions: { code: "BAD_REQUEST", requestId: response.headers.get("x-request-id") } }] });
});

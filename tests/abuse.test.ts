import type { Client } from "graphql-ws";
import WebSocket from "ws";
import { json, postGraphQL } from "./support/http";
import { liveSubscriptions, LogCapture, nextResult, wsClient } from "./support/live";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";
import pino from "pino";

// What a hostile client tried, round 2: dodging the rate limit with made-up tokens, holding
// thousands of subscriptions, sending variables of the wrong type.

const PAGE = "{ timeline(first: 20) { edges { node { id } } } }"; // 61 points

describe("the rate limit's client key", () => {
  // A server of its own for each test: each starts with full budgets.
  let app: TestApp;
  let base: string;
  beforeEach(async () => {
    app = await startTestApp({ security: { rateLimit: { enabled: true, points: 100, windowMs: 60_000 } } });
    base = await app.listen();
  });
  afterEach(() => app.close());

  it("counts a made-up token, a new one each time, against the address it comes from", async () => {
    expect((await postGraphQL(base, { query: PAGE }, { authorization: "Bearer made-up-1" })).status).toBe(200);
    const second = await postGraphQL(base, { query: PAGE }, { authorization: `Bearer made-up-${Math.random()}` });
    expect(second.status).toBe(429);
    expect((await json(second)).errors[0].extensions.code).toBe("RATE_LIMITED");
    expect((await postGraphQL(base, { query: PAGE }, { authorization: "x-random-scheme" })).status).toBe(429);
    expect((await postGraphQL(base, { query: PAGE })).status).toBe(429);
    // A token that authenticates has a budget of its own, however the header spells it.
    expect((await postGraphQL(base, { query: PAGE }, { authorization: `Bearer ${TEST_API_TOKEN}` })).status).toBe(200);
    expect((await postGraphQL(base, { query: PAGE }, { authorization: `bearer   ${TEST_API_TOKEN}` })).status).toBe(429);
  });

  it("refuses outright, with 400, an operation that costs more than the whole budget", async () => {
    const response = await postGraphQL(base, { query: "{ timeline(first: 20) { edges { node { id title summary } } } }" });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors[0].message).toMatch(/costs 101, more than the rate limit's whole budget of 100 points per 60 s/);
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY names the proxy", async () => {
    expect((await postGraphQL(base, { query: PAGE }, { "x-forwarded-for": "203.0.113.7" })).status).toBe(200);
    expect((await postGraphQL(base, { query: PAGE }, { "x-forwarded-for": "203.0.113.8" })).status).toBe(429);
  });

  it("counts sockets with made-up tokens against their address too", async () => {
    expect((await postGraphQL(base, { query: PAGE })).status).toBe(200);
    const client = wsClient(base, { connectionParams: { Authorization: `Bearer made-up-${Math.random()}` } });
    try {
      await expect(nextResult(client.iterate({ query: PAGE }))).rejects.toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "RATE_LIMITED" }) }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});

describe("behind a trusted proxy (TRUST_PROXY=loopback)", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ security: { trustProxy: ["loopback"], rateLimit: { enabled: true, points: 100, windowMs: 60_000 } } });
    base = await app.listen();
  });
  afterAll(() => app.close());

  it("counts each client the proxy names apart", async () => {
    expect((await postGraphQL(base, { query: PAGE }, { "x-forwarded-for": "203.0.113.7" })).status).toBe(200);
    expect((await postGraphQL(base, { query: PAGE }, { "x-forwarded-for": "203.0.113.7" })).status).toBe(429);
    expect((await postGraphQL(base, { query: PAGE }, { "x-forwarded-for": "203.0.113.8" })).status).toBe(200);
  });
});

/** A server with caps of its own, the sockets opened on it, and a way to subscribe. */
function liveServer(subscriptions: { perSocket: number; perClient: number; socketsPerClient: number }) {
  const SUBSCRIBE = "subscription { eventChanged { id title } }";
  const live = {
    app: undefined as unknown as TestApp,
    clients: [] as Client[],
    connect() {
      const client = wsClient(live.base);
      live.clients.push(client);
      return client;
    },
    /** Subscribes, and waits until the server holds it: the subscription counts from then on. */
    async subscribe(client: Client) {
      const held = live.app.server.createContext().services.feedHub!.subscriptions;
      const results = client.iterate({ query: SUBSCRIBE });
      const pending = results.next();
      await liveSubscriptions(live.app, held + 1);
      return { results, pending };
    },
    refused: (client: Client) => client.iterate({ query: SUBSCRIBE }).next(),
    base: "",
  };
  beforeAll(async () => {
    live.app = await startTestApp({ security: { subscriptions } });
    live.base = await live.app.listen();
  });
  afterAll(async () => {
    await Promise.all(live.clients.map((client) => client.dispose()));
    await live.app.close();
  });
  return live;
}

describe("caps on subscriptions and sockets", () => {
  const live = liveServer({ perSocket: 3, perClient: 5, socketsPerClient: 2 });
  const { connect, subscribe } = live;

  it("refuses a subscription past the cap of its socket, then of its client, and keeps the socket's others going", async () => {
    const first = connect();
    const held = [await subscribe(first), await subscribe(first), await subscribe(first)];
    await expect(live.refused(first)).rejects.toEqual([
      expect.objectContaining({ message: expect.stringMatching(/limit is 3/), extensions: expect.objectContaining({ code: "TOO_MANY_SUBSCRIPTIONS" }) }),
    ]);
    // The socket still answers, and its subscriptions still deliver.
    const query = await nextResult(first.iterate({ query: "{ timeline(first: 1) { totalCount } }" }));
    expect(query.errors).toBeUndefined();
    const created = await live.app.write(`mutation { createEvent(input: { title: "Cap check", date: "2024-05-01", category: OTHER }) { id } }`);
    const { value } = await held[0].pending;
    expect(value.data.eventChanged.id).toBe(created.data!.createEvent.id);

    // A second socket of the same client: two more make five, the client's cap.
    const second = connect();
    await subscribe(second);
    await subscribe(second);
    await expect(live.refused(second)).rejects.toEqual([
      expect.objectContaining({ message: expect.stringMatching(/for this client: the limit is 5/) }),
    ]);
    // Ending one frees its place, at once: the next subscribe on that socket is let in (once the
    // server has let go of the one ended, so that counting says when the next is held).
    await held[1].results.return!();
    await liveSubscriptions(live.app, 4);
    await subscribe(first);
  });
});

describe("a closing socket", () => {
  const live = liveServer({ perSocket: 3, perClient: 3, socketsPerClient: 5 });
  const { connect, subscribe } = live;

  it("gives a closing socket's places back", async () => {
    const full = connect();
    for (let i = 0; i < 3; i++) await subscribe(full);
    await full.dispose();
    // Once the server has let go of them, the client's places are free again, on a new socket.
    await liveSubscriptions(live.app, 0);
    const fresh = connect();
    for (let i = 0; i < 3; i++) await subscribe(fresh);
  });
});

describe("a cap on sockets", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ security: { subscriptions: { perSocket: 3, perClient: 5, socketsPerClient: 2 } } });
    base = await app.listen();
  });
  afterAll(() => app.close());

  it("refuses a third socket from the same address at the upgrade, with HTTP 429", async () => {
    const url = `${base.replace(/^http/, "ws")}/graphql`;
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, "graphql-transport-ws");
        socket.once("open", () => resolve(socket));
        socket.once("error", reject);
      });
    const held = [await open(), await open()];
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, "graphql-transport-ws");
        socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.on("open", () => reject(new Error("a third socket was let in")));
        socket.on("error", () => undefined);
      });
      expect(status).toBe(429);
    } finally {
      for (const socket of held) socket.close();
    }
  });
});

describe("variables of the wrong type", () => {
  const logs = new LogCapture();
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ log: pino({ level: "info" }, logs), security: { rateLimit: { enabled: true, points: 20_000, windowMs: 60_000 } } });
    base = await app.listen();
  });
  afterAll(() => app.close());

  it("are the client's error over HTTP: 400 BAD_USER_INPUT, nothing logged as an error", async () => {
    const response = await postGraphQL(base, { query: "query($n: Int) { timeline(first: $n) { totalCount } }", variables: { n: "abc" } });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    expect(body.errors[0].message).toMatch(/\$n/);
    expect(logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it("are the client's error over WebSocket: BAD_USER_INPUT, and the socket and its subscriptions go on", async () => {
    const client = wsClient(base);
    try {
      const live = client.iterate({ query: "subscription { eventChanged { id } }" });
      const pending = live.next();
      await liveSubscriptions(app, 1);
      await expect(nextResult(client.iterate({ query: "query($n: Int) { timeline(first: $n) { totalCount } }", variables: { n: "abc" } }))).rejects.toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
      ]);
      const answer = await nextResult(client.iterate({ query: "{ timeline(first: 1) { totalCount } }" }));
      expect(answer.errors).toBeUndefined();
      const created = await app.write(`mutation { createEvent(input: { title: "Still live", date: "2024-05-02", category: OTHER }) { id } }`);
      expect((await pending).value.data.eventChanged.id).toBe(created.data!.createEvent.id);
      expect(logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});

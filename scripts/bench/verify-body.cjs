// autocannon's verifyBody, loaded by path in its worker thread: a GraphQL answer with errors is a failure.
module.exports = (body) => typeof body === "string" && body.startsWith('{"data"') && !body.includes('"errors":');

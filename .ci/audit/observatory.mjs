// The MDN HTTP Observatory's own retriever, tests and grader on one page of a site served on loopback ports.
// Its `scan()` always asks ports 80 and 443 for "/", so this repeats scan()'s few lines of scoring
// (src/scanner/index.js, version 1.4.8) with our ports and path.
// Usage: node observatory.mjs HOST HTTP_PORT HTTPS_PORT PATH; prints {grade, score, tests} as JSON.
import { ALL_TESTS } from "@mdn/mdn-http-observatory/src/constants.js";
import { MINIMUM_SCORE_FOR_EXTRA_CREDIT } from "@mdn/mdn-http-observatory/src/grader/charts.js";
import { getGradeForScore, getScoreModifier } from "@mdn/mdn-http-observatory/src/grader/grader.js";
import { retrieve } from "@mdn/mdn-http-observatory/src/retriever/retriever.js";
import { existsSync, writeFileSync } from "node:fs";

// The package's postinstall downloads Chromium's HSTS preload list, which `npm ci --ignore-scripts` skips (and
// these machines could not fetch). A loopback address is never on it: an empty list grades it the same.
const preloadList = new URL("node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json", import.meta.url);
if (!existsSync(preloadList)) {
  writeFileSync(preloadList, "{}");
}

const [hostname, httpPort, httpsPort, path] = process.argv.slice(2);
const requests = await retrieve(hostname, { httpPort, httpsPort, path });
if (!requests.responses.auto) {
  console.log(JSON.stringify({ error: "the site did not answer" }));
  process.exit(1);
}
let withExtraCredit = 100;
let uncurved = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const result = test(requests);
  const modifier = result.result ? getScoreModifier(result.result) : 0;
  withExtraCredit += modifier;
  uncurved += Math.min(modifier, 0);
  tests[result.constructor.name] = { result: result.result, pass: result.pass, modifier };
}
// As scan(): extra credit counts only for a site that already has an A without it.
const { grade, score } = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved);
console.log(JSON.stringify({ grade, score, status: requests.responses.auto.status, tests }));

// Runs graphql-http's GraphQL-over-HTTP server audits against the URL given as the first
// argument and prints one JSON line: {"total": n, "ok": n, "failed": [{id, name, status, reason}]}.
// Exits 0 when every audit is ok, 1 otherwise.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}
const results = await auditServer({ url });
const failed = [];
for (const result of results) {
  if (result.status !== 'ok') {
    failed.push({ id: result.id, name: result.name, status: result.status, reason: result.reason });
  }
}
const ok = results.length - failed.length;
console.log(JSON.stringify({ total: results.length, ok, failed }));
process.exit(failed.length === 0 ? 0 : 1);

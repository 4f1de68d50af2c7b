// The demo server (examples/playground/serve.mjs) answers bad requests and stays up: a path that is
// not valid percent-encoding is a 400, a folder without its slash a redirect, a missing file a 404,
// a path out of the repository a 404; pages come cross-origin isolated.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: ChildProcess;
let base = '';

// A raw request (fetch would normalize or refuse the malformed paths this test sends).
function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = spawn(process.execPath, ['examples/playground/serve.mjs'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve) => {
    let out = '';
    server.stdout!.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
  });
});
afterAll(() => {
  server.kill();
});

describe('the playground server', () => {
  it('answers malformed and missing paths with 4xx and keeps serving', async () => {
    expect((await get('/%E0')).status).toBe(400);
    expect((await get('/examples/playground/%E0%A4%A.js')).status).toBe(400);
    const folder = await get('/examples/playground');
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe('/examples/playground/');
    expect((await get('/examples/no-such-file.js')).status).toBe(404);
    expect((await get('/../../etc/passwd')).status).toBe(404);
    const page = await get('/examples/playground/');
    expect(page.status).toBe(200);
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });
});

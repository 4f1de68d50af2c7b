// The demo server (examples/playground/serve.mjs) answers bad requests and stays up: a path that is
// not valid percent-encoding is a 400, a folder without its slash a redirect, a missing file a 404,
// a path out of the repository a 404, also through a symbolic link; dot-files are not served, and a
// Host other than this machine's is refused (DNS rebinding); pages come cross-origin isolated. It
// runs from a copy in a temporary tree that holds the links and dot-files the attacks need.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: ChildProcess;
let base = '';
const tree = mkdtempSync(join(tmpdir(), 'serve-'));
const outside = mkdtempSync(join(tmpdir(), 'outside-'));

// A raw request (fetch would normalize or refuse the malformed paths this test sends).
function get(
  path: string,
  host?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, host ? { headers: { host } } : {}, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(tree, 'examples', 'playground'), { recursive: true });
  copyFileSync('examples/playground/serve.mjs', join(tree, 'examples', 'playground', 'serve.mjs'));
  writeFileSync(join(tree, 'examples', 'playground', 'index.html'), '<!doctype html>');
  mkdirSync(join(tree, '.git'));
  writeFileSync(join(tree, '.git', 'config'), 'secret');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(tree, 'leak.txt'));
  symlinkSync(outside, join(tree, 'elsewhere'));
  server = spawn(process.execPath, [join(tree, 'examples', 'playground', 'serve.mjs')], {
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
  rmSync(tree, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
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

  it('serves nothing outside the tree through a link, no dot-files, and only to its own host names', async () => {
    expect((await get('/leak.txt')).status).toBe(404);
    expect((await get('/elsewhere/secret.txt')).status).toBe(404);
    expect((await get('/.git/config')).status).toBe(404);
    expect((await get('/%2egit/config')).status).toBe(404);
    expect((await get('/examples/playground/', 'attacker.example')).status).toBe(403);
    expect((await get('/examples/playground/', 'attacker.example:80')).status).toBe(403);
    expect((await get('/examples/playground/', `localhost:${new URL(base).port}`)).status).toBe(200);
  });
});

// The CLI's outputs. Checked before any work: a name, in a folder that exists and can be written, a
// regular file (or a folder for tfjs), never one of the command's inputs (same real path, or same
// device and inode: symlinks and hard links count). Written atomically: into a temporary sibling,
// then renamed into place; the temporary is removed on failure, on Ctrl-C/SIGTERM and on a closed
// output (see signals.ts), so no half-written file or folder is ever left or seen.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readdirSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CliError, EXIT } from './errors.js';

/** Undo actions for writes in progress, run (synchronously) by cleanUp(). */
const cleanups = new Set<() => void>();

/** Removes every temporary file or folder still being written (and restores a folder being replaced). */
export function cleanUp(): void {
  for (const undo of cleanups) {
    try {
      undo();
    } catch {
      /* best effort: the process is ending */
    }
  }
  cleanups.clear();
}

const statOrNull = (path: string): Stats | null => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/** A temporary name next to `path`: hidden, unique to this process and call. */
const sibling = (path: string, kind: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);

interface Identity {
  real: string;
  dev?: number;
  ino?: number;
}

/** Where `path` really is: its real path and, if it exists, its device and inode. */
function identity(path: string): Identity {
  const s = statOrNull(path);
  if (s) {
    let real = resolve(path);
    try {
      real = realpathSync(path);
    } catch {
      /* e.g. /dev/stdin on a pipe: the inode still identifies it */
    }
    return { real, dev: s.dev, ino: s.ino };
  }
  try {
    return { real: join(realpathSync(dirname(resolve(path))), basename(path)) };
  } catch {
    return { real: resolve(path) };
  }
}

const same = (a: Identity, b: Identity): boolean =>
  a.real === b.real || (a.ino !== undefined && a.dev === b.dev && a.ino === b.ino);

/** The folder an output goes in: it exists, is a folder, and files can be created in it. */
function checkFolder(path: string, flag: string): void {
  const dir = dirname(path);
  const s = statOrNull(dir);
  if (!s)
    throw new CliError(`cannot write ${path}: the folder ${dir} does not exist; create it or choose another ${flag}`);
  if (!s.isDirectory())
    throw new CliError(`cannot write ${path}: ${dir} is a file, not a folder; choose another ${flag}`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new CliError(`cannot write ${path}: no permission to create files in ${dir}; choose another ${flag}`);
  }
}

function checkNotInput(path: string, inputs: string[], flag: string): void {
  const out = identity(path);
  for (const input of inputs) {
    if (statOrNull(input) && same(out, identity(input))) {
      throw new CliError(
        `${flag} ${path} is the input ${input} (the same file): writing it would destroy the input; choose another ${flag}`,
      );
    }
  }
}

/**
 * Checks an output file before any work; returns the path to write (an existing symlink's target, so
 * the link keeps pointing at the new file).
 */
export function checkOutputFile(path: string, inputs: string[], flag = '--out'): string {
  if (path === '') throw new CliError(`${flag} is empty: give a file name, e.g. ${flag} model.json`);
  if (/[\\/]$/.test(path))
    throw new CliError(
      `cannot write ${path}: it names a folder; give a file name, e.g. ${flag} ${join(path, 'model.json')}`,
    );
  const s = statOrNull(path);
  if (s?.isDirectory())
    throw new CliError(
      `cannot write ${path}: it is a folder; give a file name, e.g. ${flag} ${join(path, 'model.json')}`,
    );
  if (s && !s.isFile())
    throw new CliError(`cannot write ${path}: it is not a regular file (a device, pipe or socket); give a file name`);
  // The file written (and its temporary sibling) is the symlink's target: its folder and name are checked.
  const target = s ? realpathSync(path) : path;
  const shownAs = target === path ? path : `${path} (a link to ${target})`;
  if (Buffer.byteLength(basename(sibling(target, 'tmp'))) > 255)
    throw new CliError(
      `cannot write ${shownAs}: the name is too long (the temporary file beside it needs about 30 more bytes than the name's, 255 at most); choose a shorter name`,
    );
  checkFolder(target, flag);
  checkNotInput(path, inputs, flag);
  return target;
}

/**
 * Checks an output folder (replaced as a whole) before any work: new, empty, or holding only the
 * files `files` (an earlier export), and holding none of the inputs.
 */
export function checkOutputFolder(path: string, inputs: string[], files: string[], flag = '--out'): string {
  if (path === '') throw new CliError(`${flag} is empty: give a folder name, e.g. ${flag} my-model`);
  const s = statOrNull(path);
  const target = s ? realpathSync(path) : resolve(path);
  if (Buffer.byteLength(basename(sibling(target, 'tmp'))) > 255)
    throw new CliError(
      `cannot write ${path}: the name is too long (the temporary folder beside it needs about 30 more bytes than the name's, 255 at most); choose a shorter name`,
    );
  checkFolder(target, flag);
  if (s && !s.isDirectory())
    throw new CliError(`cannot write ${path}: it is a file, and this output is a folder; give a folder name`);
  for (const input of inputs) {
    if (!statOrNull(input)) continue;
    const { real } = identity(input);
    if (real === target || real.startsWith(target.endsWith(sep) ? target : target + sep)) {
      throw new CliError(
        `${flag} ${path} holds the input ${input}: the folder is replaced as a whole, which would destroy the input; choose another ${flag}`,
      );
    }
  }
  for (const name of files) checkNotInput(join(target, name), inputs, flag);
  let others: string[] = [];
  try {
    others = s ? readdirSync(target).filter((f) => !files.includes(f)) : [];
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}; choose another ${flag}`);
  }
  if (others.length) {
    throw new CliError(
      `cannot write ${path}: the folder holds other files (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}) and would be replaced as a whole; choose a new or empty folder`,
    );
  }
  return target;
}

const failed = (path: string, e: unknown): CliError =>
  new CliError(`cannot write ${path}: ${(e as Error).message}`, EXIT.failed);

/** Writes `data` to a temporary file next to `path`, then renames it over `path`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = sibling(path, 'tmp');
  const undo = (): void => rmSync(tmp, { force: true });
  cleanups.add(undo);
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw failed(path, e);
  } finally {
    cleanups.delete(undo);
  }
}

/**
 * Fills a temporary folder next to `path` with `fill`, then puts it in place of `path` (checked by
 * checkOutputFolder): an empty folder is replaced in one rename, an earlier export is moved aside
 * first and removed after (and moved back if the run ends in between).
 */
export async function writeFolderAtomic(path: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const tmp = sibling(path, 'tmp'),
    old = sibling(path, 'old');
  const undo = (): void => {
    rmSync(tmp, { recursive: true, force: true });
    if (!statOrNull(old)) return;
    if (statOrNull(path)) rmSync(old, { recursive: true, force: true });
    else renameSync(old, path);
  };
  cleanups.add(undo);
  try {
    try {
      await fill(tmp);
      const s = statOrNull(path);
      if (s && readdirSync(path).length > 0) {
        await rename(path, old);
        await rename(tmp, path);
      } else {
        await rename(tmp, path);
      }
    } catch (e) {
      undo();
      throw e instanceof CliError ? e : failed(path, e);
    }
    // The new folder is in place: removing the earlier export is best effort (a failure leaves a
    // hidden .old sibling, never undoes the write).
    await rm(old, { recursive: true, force: true }).catch(() => {});
  } finally {
    cleanups.delete(undo);
  }
}

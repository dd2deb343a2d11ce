import { closeSync, fchmodSync, fsyncSync, openSync, rmSync, writeFileSync } from 'node:fs';

/** Readable and writable by the ops engineer alone: the file holds a citizen's personal data. */
export const COPY_FILE_MODE = 0o600;

/**
 * Writes `text` to `file`, a new file created with mode 0600 (`wx`: one that appeared since the command line
 * was checked is not overwritten, and the write fails with EEXIST), and flushed to the disk before it returns.
 * A write that stops part way (a full disk, a file size limit: write(2) then writes less than asked, and only
 * the next call fails) deletes the file and throws: a copy cut short is never left, for the citizen, to read
 * as whole, nor in the way of the next run. https://nodejs.org/api/fs.html#file-system-flags
 */
export function writeNewFile(file: string, text: string): void {
  const fd = openSync(file, 'wx', COPY_FILE_MODE);
  try {
    // The mode of openSync is narrowed by the umask: set it exactly.
    fchmodSync(fd, COPY_FILE_MODE);
    // writeFileSync on a descriptor writes again until all is written (writeSync may stop short, silently).
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    try {
      closeSync(fd);
    } finally {
      rmSync(file, { force: true });
    }
    throw error;
  }
  closeSync(fd);
}

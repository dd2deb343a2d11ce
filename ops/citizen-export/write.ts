import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Readable and writable by the ops engineer alone: the file holds a citizen's personal data. */
export const COPY_FILE_MODE = 0o600;

/**
 * Writes `text` to `file`, a new file created with mode 0600 (`wx`: one that appeared since the command line
 * was checked is not overwritten, and the write fails with EEXIST), and flushed to the disk before it returns.
 * https://nodejs.org/api/fs.html#file-system-flags
 */
export function writeNewFile(file: string, text: string): void {
  const fd = openSync(file, 'wx', COPY_FILE_MODE);
  try {
    // The mode of openSync is narrowed by the umask: set it exactly.
    fchmodSync(fd, COPY_FILE_MODE);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

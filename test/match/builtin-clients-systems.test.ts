import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// Each row is one tool's, runtime's or kernel's spelled-out form of a guide's error (memory, disks,
// programs, paths), written from the tools' own message text, not taken from a corpus paste.
describe('the built-in guides: the wording of system tools, kernels and runtimes', () => {
  it.each([
    // Rust's ExitStatus names the signal: cargo's "process didn't exit successfully" line.
    [
      "error: could not compile `serde` (lib)\nCaused by:\n  process didn't exit successfully: `rustc --crate-name serde` (signal: 9, SIGKILL: kill)",
      'out-of-memory-killed',
    ],
    // A kernel OOM dump's memory cgroup line: usage at the limit.
    [
      'kernel: memory: usage 524288kB, limit 524288kB, failcnt 3021\nkernel: swap: usage 0kB, limit 9007199254740988kB, failcnt 0',
      'out-of-memory-killed',
    ],
    // Older V8 gave up with this line; a terminal can also cut the usual one after "near".
    [
      '#\n# Fatal error in , line 0\n# API fatal error handler returned after process out of memory\n#',
      'node-heap-out-of-memory',
    ],
    ['<--- JS stacktrace --->\nFATAL ERROR: Ineffective mark-compacts near he', 'node-heap-out-of-memory'],
    // runc's message inside a JSON error keeps its quotes escaped: the program is missing, not a data file.
    [
      'Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \\"/bin/zsh\\": stat /bin/zsh: no such file or directory: unknown',
      'command-not-found',
    ],
    [
      'tar (child): lzip: Cannot exec: No such file or directory\ntar (child): Error is not recoverable: exiting now',
      'command-not-found',
    ],
    // PowerShell wraps at the console width, so the quoted path starts the next line.
    [
      "Get-Content : Cannot find path\n'C:\\deploy\\settings.json' because it does not exist.\nAt line:1 char:1",
      'file-not-found',
    ],
    [
      "Set-Location : Cannot find path 'D:\\builds' because it does not exist.\n    + CategoryInfo          : ObjectNotFound: (D:\\builds:String) [Set-Location], ItemNotFoundException\n    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.SetLocationCommand",
      'file-not-found',
    ],
    // ext4 remounts read-only because of an I/O error: the I/O error is the root symptom.
    [
      "EXT4-fs (sdb1): previous I/O error to superblock detected\nEXT4-fs (sdb1): Remounting filesystem read-only\ntouch: cannot touch '/data/x': Read-only file system",
      'disk-io-error',
    ],
    // btrfs returns the kernel's -EIO in its own words.
    [
      'BTRFS error (device sda2): failed to read chunk root: -5\nBTRFS error (device sda2): open_ctree failed: -5',
      'disk-io-error',
    ],
    // smartctl's self-test log.
    [
      'Num  Test_Description    Status                  Remaining  LifeTime(hours)  LBA_of_first_error\n# 1  Extended offline    Completed: read failure       40%     31337         1953525',
      'disk-io-error',
    ],
    // libarchive and opkg report a full filesystem in their own words.
    ['Write failed (libarchive err_code=28)', 'no-space-left-on-device'],
    [
      'Collected errors:\n * verify_pkg_installable: Only have 120kb available on filesystem /overlay, pkg tcpdump needs 312',
      'no-space-left-on-device',
    ],
    [
      'emulator: ERROR: Your device does not have enough disk space to run avd: `Pixel_API_30`.',
      'no-space-left-on-device',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});
